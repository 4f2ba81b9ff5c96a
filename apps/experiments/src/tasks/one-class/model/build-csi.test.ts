import { geoHeadOf } from '@curvad/geo-layers';
import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseOneClassConfig } from '../config/one-class-config';
import { oneClassPresetConfig } from '../config/presets';
import { trainRotNet } from '../train/train-model';
import { buildOneClassModel } from './build-one-class-model';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

const config = parseOneClassConfig({
  ...oneClassPresetConfig('mnist-one-class'),
  embeddingDim: 8,
  csi: { projectionDim: 6, temperature: 0.5 },
  epochs: 1,
  batchSize: 2,
});

/** SimCLR's NT-Xent in float64 from the rows (view v of instance i at row v * n + i, two views). */
function ntXentReference(z: number[][], temperature: number): number {
  const unit = z.map((row) => {
    const norm = Math.sqrt(row.reduce((a, b) => a + b * b, 0));
    return row.map((v) => v / norm);
  });
  const rows = unit.length;
  const n = rows / 2;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const sims = unit.map((row) => row.reduce((a, v, d) => a + v * unit[i]![d]!, 0) / temperature);
    let denominator = 0;
    for (let j = 0; j < rows; j++) if (j !== i) denominator += Math.exp(sims[j]!);
    total += -(sims[(i + n) % rows]! - Math.log(denominator));
  }
  return total / rows;
}

/** Mean softmax cross-entropy of the labels in float64. */
function crossEntropyReference(logits: number[][], labels: number[]): number {
  let total = 0;
  logits.forEach((row, i) => {
    const max = Math.max(...row);
    const logSum = Math.log(row.reduce((a, v) => a + Math.exp(v - max), 0)) + max;
    total += logSum - row[labels[i]!]!;
  });
  return total / logits.length;
}

describe('CSI models', () => {
  it('CSI: loss = NT-Xent of the projection output + cross-entropy of the rotation classifier, against float64', () => {
    const built = buildOneClassModel('CSI', config, [28, 28, 1], 3);
    expect(built.family).toBe('csi');
    expect(built.detectorModel.outputs).toEqual([
      { index: 0, role: 'logits', space: 'euclidean' },
      { index: 1, role: 'features', space: 'euclidean' },
    ]);
    // 2 images x 4 rotations x 2 views = 16 rows, labels as csiTrainBatches lays them out.
    const x = tf.randomUniform([16, 28, 28, 1], 0, 1, 'float32', 2);
    const labels = tf.tensor1d([0, 0, 1, 1, 2, 2, 3, 3, 0, 0, 1, 1, 2, 2, 3, 3], 'int32');
    const outputs = built.model.apply(x, { training: true }) as tf.Tensor[];
    expect(outputs.map((o) => o.shape)).toEqual([
      [16, 4],
      [16, 6],
    ]);
    const loss = built.loss(outputs, labels);
    const want =
      ntXentReference(outputs[1]!.arraySync() as number[][], 0.5) +
      crossEntropyReference(outputs[0]!.arraySync() as number[][], Array.from(labels.dataSync()));
    expect(loss.dataSync()[0]).toBeCloseTo(want, 4);
    tf.dispose([x, labels, loss, ...outputs]);
    built.model.dispose();
  });

  it("CSI+MiT: adds the GiT head's cross-entropies; the CSI curvatures (1, -0.01), not RotNet's", () => {
    const built = buildOneClassModel('CSI+MiT', config, [28, 28, 1], 5);
    const logits = built.detectorModel.outputs.filter((o) => o.role === 'logits');
    expect(logits.map((o) => o.space)).toEqual(['euclidean', 'sphere', 'poincare']);
    const features = built.detectorModel.outputs.find((o) => o.role === 'features')!;
    expect(features.index).toBe(built.model.outputs.length - 1);
    const head = geoHeadOf(built.model);
    expect([head.curvature('sphere'), head.curvature('poincare')]).toEqual([1, -0.01]);
    const rotnet = buildOneClassModel('RotNet+HiT', config, [28, 28, 1], 5);
    expect(geoHeadOf(rotnet.model).curvature('poincare')).toBe(-0.005);
    rotnet.model.dispose();
    const x = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 4);
    const labelValues = [0, 1, 2, 3, 0, 1, 2, 3];
    const labels = tf.tensor1d(labelValues, 'int32');
    const outputs = built.model.apply(x, { training: true }) as tf.Tensor[];
    const loss = built.loss(outputs, labels);
    const ce = logits.reduce((sum, o) => sum + crossEntropyReference(outputs[o.index]!.arraySync() as number[][], labelValues), 0);
    const want = ntXentReference(outputs[features.index]!.arraySync() as number[][], 0.5) + ce;
    expect(loss.dataSync()[0]).toBeCloseTo(want, 4);
    tf.dispose([x, labels, loss, ...outputs]);
    built.model.dispose();
  });

  it('training steps leave no tensor behind and change the weights', async () => {
    const set = {
      images: Uint8Array.from({ length: 3 * 784 }, (_, i) => (i * 11) % 256),
      labels: Uint8Array.from([0, 0, 0]),
      shape: [3, 28, 28, 1] as [number, number, number, number],
    };
    const before = tf.memory().numTensors;
    const built = buildOneClassModel('CSI+SiT', config, [28, 28, 1], 9);
    const weights = () => built.model.getWeights().map((w) => Array.from(w.dataSync()));
    const initial = weights();
    const afterBuild = tf.memory().numTensors;
    const steps: number[] = [];
    const curve = await trainRotNet(built, { train: set }, config, 9, { onStep: (_step, _steps, loss) => steps.push(loss) });
    expect(curve).toHaveLength(1);
    expect(steps).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(afterBuild);
    expect(weights()).not.toEqual(initial);
    built.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
