import { csiScore, getDetector, rotateImages } from '@curvad/anomaly-scores';
import type { ImageSet } from '@curvad/datasets';
import { imageSetToTensor } from '@curvad/datasets/tfjs';
import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseOneClassConfig } from '../config/one-class-config';
import { oneClassPresetConfig } from '../config/presets';
import type { OneClassData } from '../data/load-data';
import type { BuiltRotNet } from '../model/build-model';
import { buildOneClassModel } from '../model/build-one-class-model';
import { rotationRows } from './score-methods';
import { NORMAL_SET, scoreRotNet } from './score-model';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

const config = parseOneClassConfig({
  ...oneClassPresetConfig('mnist-one-class'),
  embeddingDim: 8,
  // An untrained rotation classifier's mean logit of the true rotation can be < 0, which the
  // balanced score refuses (tested below); the unbalanced score checks the wiring.
  csi: { projectionDim: 6, balancing: 'none' },
  scorings: ['standard', 'released'],
  divergenceDirection: 'both',
});

function images(count: number, salt: number): ImageSet {
  return {
    images: Uint8Array.from({ length: count * 784 }, (_, i) => (i * salt + (i >> 5)) % 256),
    labels: new Uint8Array(count),
    shape: [count, 28, 28, 1],
  };
}

const data: OneClassData = { normalClass: 0, train: images(9, 7), normalTest: images(4, 13), anomalousTest: images(5, 29), files: {} };

/** The model's projection features and rotation logits of `set` under each rotation, computed here. */
function csiFeatures(built: BuiltRotNet, set: ImageSet): { features: tf.Tensor[]; shiftLogits: tf.Tensor[] } {
  const x = imageSetToTensor(set);
  const features: tf.Tensor[] = [];
  const shiftLogits: tf.Tensor[] = [];
  for (let r = 0; r < 4; r++) {
    const [logits, projection] = tf.tidy(() => built.model.apply(rotateImages(x as tf.Tensor4D, r), { training: false }) as tf.Tensor[]);
    shiftLogits.push(logits!);
    features.push(projection!);
  }
  x.dispose();
  return { features, shiftLogits };
}

describe('CSI rows', () => {
  it("the 'CSI' row is anomaly-scores' csiScore of the projection features (fit on the training images, all four rotations)", () => {
    const built = buildOneClassModel('CSI', config, [28, 28, 1], 11);
    const scored = scoreRotNet(built, config, data, 0);
    expect(scored.rows.map((r) => [r.row.method, r.row.detector])).toEqual([
      ['CSI', 'csi'],
      ['CSI (released)', 'rotnet-released'],
    ]);
    const row = scored.rows[0]!;
    const train = csiFeatures(built, data.train);
    for (const [set, images] of [
      [NORMAL_SET, data.normalTest],
      ['other classes', data.anomalousTest],
    ] as const) {
      const test = csiFeatures(built, images);
      const want = csiScore(test, train, { balancing: 'none' });
      const got = row.scores.find((s) => s.set === set)!.scores;
      expect(got.length).toBe(images.shape[0]);
      for (const [i, v] of got.entries()) expect(v).toBeCloseTo(want[i]!, 4);
      tf.dispose([...test.features, ...test.shiftLogits]);
    }
    tf.dispose([...train.features, ...train.shiftLogits]);
    // Scoring again (CSI fit included) leaves no tensor behind.
    const before = tf.memory().numTensors;
    scoreRotNet(built, config, data, 0);
    expect(tf.memory().numTensors).toBe(before);
    // Balanced: refused on this untrained model with an error naming the model and the config field.
    const balanced = parseOneClassConfig({ ...config, csi: { ...config.csi, balancing: 'leave-one-out' } });
    const count = tf.memory().numTensors;
    expect(() => scoreRotNet(built, balanced, data, 0)).toThrow(
      /^model CSI: fitting the CSI score on the 9 training images failed \(csi\.balancing leave-one-out\): fitCsi: the mean shift classifier logit .* --set csi\.balancing=none, or train longer/,
    );
    expect(tf.memory().numTensors).toBe(count);
    built.model.dispose();
  });

  it('CSI+MiT: the GiT rows of the RotNet+GiT models (z_EM both directions, released), each the registered detector', () => {
    const rows = rotationRows('CSI+MiT', config);
    expect(rows.map((r) => [r.method, r.detector, r.scoring])).toEqual([
      ['CSI +MiT', 'rotnet-zEM', 'standard'],
      ['CSI +MiT (text: 1 - tanh z)', 'rotnet-zEM-text', 'standard'],
      ['CSI +MiT (released)', 'rotnet-released', 'released'],
    ]);
    expect(rotationRows('CSI+SiT', { scorings: ['standard'], divergenceDirection: 'released' }).map((r) => r.method)).toEqual(['CSI +SiT']);
    const built = buildOneClassModel('CSI+MiT', config, [28, 28, 1], 12);
    const scored = scoreRotNet(built, config, data, 0);
    const x = imageSetToTensor(data.anomalousTest);
    const want = getDetector('rotnet-zEM').score(built.detectorModel, { x });
    // The text row (derived by negation, not a second pass over the rotations) is the registered '-text' detector.
    const wantText = getDetector('rotnet-zEM-text').score(built.detectorModel, { x });
    x.dispose();
    expect(scored.rows[0]!.scores[1]!.scores).toEqual(want);
    expect(scored.rows[1]!.scores[1]!.scores).toEqual(wantText);
    const before = tf.memory().numTensors;
    scoreRotNet(built, config, data, 0);
    expect(tf.memory().numTensors).toBe(before);
    built.model.dispose();
  });
});
