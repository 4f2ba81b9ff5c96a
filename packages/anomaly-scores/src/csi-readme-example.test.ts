// The README's CSI example, run as a test so it cannot rot. Keep the two in sync.
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { csiScore, fitCsi, getDetector, ntXentLoss } from './index';
import { expectNoLeak } from './test-utils';

/** tf.tidy for a function that returns plain values (read from tensors inside), not tensors. */
function tidyValue<T>(fn: () => T): T {
  let out: T | undefined;
  tf.tidy(() => {
    out = fn();
  });
  return out as T;
}

it('README CSI example runs, gives the documented values and leaks nothing', () => {
  const run = () =>
    tidyValue(() => {
      // ---- README example start ----
      // import { csiScore, fitCsi, getDetector, ntXentLoss } from '@curvad/anomaly-scores';

      // Training: 2 images x 4 rotations = 8 instances, two augmented views each. Rows: view a of
      // rot0, rot1, rot2, rot3 (2 images each), then view b in the same order. Rotated copies of an
      // image are negatives of each other; only the two views of one rotated image are positives.
      const viewA = tf.sin(tf.reshape(tf.range(0, 24), [8, 3]));
      const viewB = tf.add(viewA, tf.mul(0.1, tf.cos(tf.reshape(tf.range(0, 24), [8, 3]))));
      const loss = ntXentLoss(tf.concat([viewA, viewB]), { temperature: 0.5 }); // scalar, 1.78

      // Scoring: features z and rotation logits of 20 normal training images under each rotation
      // r = 0..3 (stand-ins here), and of 2 test images: a training image and a faint one.
      const features = (rows: number) => [0, 1, 2, 3].map((r) => tf.sin(tf.reshape(tf.range(100 * r, 100 * r + 4 * rows), [rows, 4])));
      const logits = (rows: number, confidence: number) =>
        [0, 1, 2, 3].map((r) => tf.mul(confidence, tf.oneHot(tf.fill([rows], r, 'int32'), 4)));
      const train = { features: features(20), shiftLogits: logits(20, 3) };
      const test = {
        features: features(1).map((z) => tf.concat([z, tf.fill([1, 4], 0.05)])),
        shiftLogits: logits(2, 3).map((l) => tf.mul(l, tf.tensor2d([[1], [0.2]]))),
      };
      const scores = csiScore(test, train); // -s_CSI, higher = more anomalous: [-8.09, -1.02]
      const csi = csiScore(test, train, { output: 'z' }); // s_CSI itself: [8.09, 1.02]

      const detector = fitCsi(train, { balancing: 'released' }); // the authors' weights 1 / mean ||z||
      const weights = detector.contrastiveWeights; // one per rotation
      detector.dispose();

      // The registered detector turns model inputs itself: getDetector('csi').fit!(model, { x: trainImages })
      // then .score(model, { x: testImages }), reading the model's 'features' and Euclidean 'logits' outputs.
      const detectorName = getDetector('csi').name;
      // ---- README example end ----
      return { loss: loss.dataSync()[0]!, scores, csi, weights, detectorName };
    });
  const { loss, scores, csi, weights, detectorName } = run();
  expect(Number(loss.toFixed(2))).toBe(1.78);
  expect(Array.from(scores, (v) => Number(v.toFixed(2)))).toEqual([-8.09, -1.02]);
  expect(Array.from(csi, (v) => Number(v.toFixed(2)))).toEqual([8.09, 1.02]);
  expect(weights).toHaveLength(4);
  expect(detectorName).toBe('csi');
  expectNoLeak(() => run(), 2);
});
