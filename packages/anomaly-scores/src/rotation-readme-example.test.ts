// The README's RotNet example, run as a test so it cannot rot. Keep the two in sync.
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import type { DetectorModel } from './detector';
import { getDetector } from './detector-registry';
import { releasedRotationScore, rotationCrossEntropyScore } from './rotation-scores';
import { expectNoLeak } from './test-utils';

it('README RotNet example runs, gives the documented values and leaks nothing', () => {
  const run = () => {
    // ---- README example start ----
    // import { getDetector, rotationCrossEntropyScore, releasedRotationScore, type DetectorModel } from '@curvad/anomaly-scores';

    // Rotation logits of two images, each turned by r = 0..3 (entry r: the images turned by r).
    const logitsByRotation = [
      tf.tensor2d([
        [4, 0, 0, 0],
        [1, 0, 0, 0],
      ]),
      tf.tensor2d([
        [0, 4, 0, 0],
        [0, 0, 1, 0],
      ]),
      tf.tensor2d([
        [0, 0, 4, 0],
        [0, 0, 1, 0],
      ]),
      tf.tensor2d([
        [0, 0, 0, 4],
        [1, 0, 0, 0],
      ]),
    ];
    const standard = rotationCrossEntropyScore(logitsByRotation); // [0.21, 4.97]: image 1 is the anomaly

    // The released protocol: one rotation per image; tanh(KL(E || G)), 1 where the rotation is mispredicted.
    const euclidean = tf.tensor2d([
      [4, 0, 0, 0],
      [0, 0, 1, 0],
    ]);
    const geometric = tf.tensor2d([
      [2, 0, 0, 0],
      [0, 0, 1, 0],
    ]);
    const released = releasedRotationScore(euclidean, [geometric], [0, 1]); // [0.18, 1]

    // As a registered detector: it turns the images itself and runs model.apply on every rotation.
    const model: DetectorModel = {
      outputs: [{ index: 0, role: 'logits', space: 'euclidean' }],
      apply: (x) => [
        tf.matMul(
          tf.reshape(x, [x.shape[0]!, 4]),
          tf.tensor2d([
            [3, 0, 0, 0],
            [0, 0, 0, 3],
            [0, 3, 0, 0],
            [0, 0, 3, 0],
          ]),
        ),
      ],
    };
    const images = tf.tensor4d([1, 0, 0, 0], [1, 2, 2, 1]); // one 2x2 image, its bright pixel top-left
    const ce = getDetector('rotnet-ce').score(model, { x: images }); // [0.56]: every rotation recognised (4 x 0.14)
    // ---- README example end ----
    tf.dispose([...logitsByRotation, euclidean, geometric, images]);
    return { standard, released, ce };
  };
  const { standard, released, ce } = run();
  expect(Array.from(standard, (v) => Number(v.toFixed(2)))).toEqual([0.21, 4.97]);
  expect(Array.from(released, (v) => Number(v.toFixed(2)))).toEqual([0.18, 1]);
  expect(Array.from(ce, (v) => Number(v.toFixed(2)))).toEqual([0.56]);
  expectNoLeak(() => run(), 2);
});
