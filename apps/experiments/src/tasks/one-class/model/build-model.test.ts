import { softmaxCrossEntropy } from '@curvad/geo-layers';
import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseOneClassConfig } from '../config/one-class-config';
import { oneClassPresetConfig } from '../config/presets';
import { rowsOfClass } from '../data/load-data';
import { scoreRotNet } from '../score/score-model';
import { buildRotNet } from './build-model';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

const config = parseOneClassConfig({
  ...oneClassPresetConfig('mnist-one-class'),
  embeddingDim: 8,
  scorings: ['standard', 'released'],
  divergenceDirection: 'both',
});

describe('buildRotNet', () => {
  it('RotNet+MiT: a Euclidean and two geometric 4-way rotation classifiers on one feature, loss = the sum of their cross-entropies', () => {
    const built = buildRotNet('RotNet+MiT', config, [28, 28, 1], 3);
    const logits = built.detectorModel.outputs.filter((o) => o.role === 'logits');
    expect(logits.map((o) => o.space)).toEqual(['euclidean', 'sphere', 'poincare']);
    const x = tf.randomUniform([5, 28, 28, 1], 0, 1, 'float32', 1);
    const labels = tf.tensor1d([0, 1, 2, 3, 0], 'int32');
    const outputs = built.detectorModel.apply!(x);
    for (const o of logits) expect(outputs[o.index]!.shape).toEqual([5, 4]);
    const loss = built.loss(outputs, labels);
    const sum = tf.addN(logits.map((o) => softmaxCrossEntropy(outputs[o.index]!, labels)));
    expect(loss.dataSync()[0]).toBeCloseTo(sum.dataSync()[0]!, 5);
    tf.dispose([x, labels, loss, sum, ...outputs]);
    built.model.dispose();
  });

  it('RotNet: one Euclidean rotation classifier; scoring every row leaks no tensor', () => {
    const built = buildRotNet('RotNet', config, [28, 28, 1], 4);
    expect(built.detectorModel.outputs).toEqual([{ index: 0, role: 'logits', space: 'euclidean' }]);
    const labels = Uint8Array.from({ length: 12 }, (_, i) => i % 3);
    const set = {
      images: Uint8Array.from({ length: 12 * 784 }, (_, i) => (i * 7) % 256),
      labels,
      shape: [12, 28, 28, 1] as [number, number, number, number],
    };
    const data = {
      normalClass: 0,
      train: rowsOfClass(set, 0),
      normalTest: rowsOfClass(set, 0),
      anomalousTest: rowsOfClass(set, 0, false),
      files: {},
    };
    scoreRotNet(built, config, data, 0);
    const before = tf.memory().numTensors;
    const scored = scoreRotNet(built, config, data, 0);
    expect(tf.memory().numTensors).toBe(before);
    expect(scored.rows.map((r) => r.row.method)).toEqual(['RotNet', 'RotNet (1 - MSP)', 'RotNet (released)']);
    expect(scored.rotationAccuracy).toBeGreaterThanOrEqual(0);
    built.model.dispose();
  });
});
