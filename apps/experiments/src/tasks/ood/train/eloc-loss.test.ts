import { marginEntropyLoss } from '@curvad/anomaly-scores';
import { softmaxCrossEntropy } from '@curvad/geo-layers';
import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseOodConfig } from '../config/ood-config';
import { buildElocModels, disposeEloc } from '../model/eloc-models';
import { TINY_IMAGE_SHAPE, TINY_MNIST_HOLDOUT } from '../test-support';
import { elocLoss } from './eloc-loss';

const config = parseOodConfig({
  ...TINY_MNIST_HOLDOUT,
  name: 'eloc-loss',
  embeddingDim: 4,
  models: ['ELOC', 'ELOC+HiT'],
  eloc: { folds: 2, margin: 0.7, beta: 0.3 },
  epochs: 1,
  batchSize: 4,
});

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

// Batch: 3 ID rows (targets) followed by 2 held-out rows.
const inputs = () => tf.randomUniform([5, ...TINY_IMAGE_SHAPE], 0, 1, 'float32', 11);
const targets = () => tf.tensor1d([0, 1, 0], 'int32');

describe('ELOC training loss', () => {
  test('ELOC member: CE on the ID rows + marginEntropyLoss(ID rows, held-out rows), with the config margin and beta', () => {
    const eloc = buildElocModels('ELOC', config, TINY_IMAGE_SHAPE, 4, 3);
    try {
      const built = eloc.members[0]!.built;
      const x = inputs();
      const y = targets();
      const logits = built.model.apply(x, { training: false }) as tf.Tensor2D;
      const got = elocLoss(built, config.eloc)(logits, { inputs: x, targets: y });
      const id = tf.slice(logits, [0], [3]);
      const out = tf.slice(logits, [3], [2]);
      const expected = tf.add(softmaxCrossEntropy(id, y), marginEntropyLoss(id, out, { margin: 0.7, beta: 0.3 }));
      expect(got.dataSync()[0]).toBeCloseTo(expected.dataSync()[0]!, 5);
      // The hinge is there: the loss differs from the CE alone unless the hinge is 0.
      const hinge = marginEntropyLoss(id, out, { margin: 0.7, beta: 0.3 }).dataSync()[0]!;
      expect(hinge).toBeGreaterThan(0);
      tf.dispose([x, y, logits, got, id, out, expected]);
    } finally {
      disposeEloc(eloc);
    }
  });

  test('ELOC+HiT member: l_E + l_H on the ID rows + the hinge on both classifiers', () => {
    const eloc = buildElocModels('ELOC+HiT', config, TINY_IMAGE_SHAPE, 4, 3);
    try {
      const built = eloc.members[1]!.built;
      const x = inputs();
      const y = targets();
      const outputs = built.model.apply(x, { training: false }) as tf.Tensor[];
      const classifiers = built.spec!.outputs.filter((o) => o.role === 'logits').map((o) => o.index);
      expect(classifiers).toHaveLength(2);
      const got = elocLoss(built, config.eloc)(outputs, { inputs: x, targets: y }).dataSync()[0]!;
      const parts = classifiers.map((i) => {
        const id = tf.slice(outputs[i]!, [0], [3]) as tf.Tensor2D;
        const out = tf.slice(outputs[i]!, [3], [2]) as tf.Tensor2D;
        return softmaxCrossEntropy(id, y).dataSync()[0]! + marginEntropyLoss(id, out, { margin: 0.7, beta: 0.3 }).dataSync()[0]!;
      });
      expect(got).toBeCloseTo(parts[0]! + parts[1]!, 5);
      tf.dispose([x, y, ...outputs]);
    } finally {
      disposeEloc(eloc);
    }
  });

  test('an ELOC+HiT member uses the ELOC curvature, not Table III HiT', () => {
    const eloc = buildElocModels('ELOC+HiT', config, TINY_IMAGE_SHAPE, 4, 3);
    try {
      expect(eloc.members[0]!.built.head!.curvature('poincare')).toBeCloseTo(-0.001, 8);
      expect(eloc.members.map((m) => m.fold.kept)).toEqual([
        [2, 3],
        [0, 1],
      ]);
      expect(eloc.members.map((m) => m.built.model.outputs[0]!.shape[1])).toEqual([2, 2]);
    } finally {
      disposeEloc(eloc);
    }
  });
});
