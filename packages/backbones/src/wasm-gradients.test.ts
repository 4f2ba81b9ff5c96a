import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { convStack } from './conv-stack';
import { conv4 } from './conv4';
import { denseNetBC } from './densenet-bc';
import { lenet } from './lenet';
import { patchSvddEncoder, patchSvddPositionClassifier } from './patch-svdd';
import { resnet18 } from './resnet18';
import { segmentationUNet } from './segmentation-unet';
import { smallCnn } from './small-cnn';
import { wideResNet } from './wide-resnet';

const BATCH = 2;
const INPUT_SEED = 11;

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

function trainableVariables(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** One training-mode forward pass and the gradient of mean(output^2) w.r.t. every trainable weight. */
function forwardBackward(model: tfl.LayersModel, inputs: tf.Tensor[]) {
  const variables = trainableVariables(model);
  const { value, grads } = tf.variableGrads(() => {
    const out = model.apply(inputs.length === 1 ? inputs[0]! : inputs, { training: true }) as tf.Tensor;
    return tf.mean(tf.square(out)) as tf.Scalar;
  }, variables);
  const gradValues = variables.map((v) => grads[v.name]);
  const result = {
    loss: value.dataSync()[0]!,
    missing: variables.filter((v) => grads[v.name] === undefined).map((v) => v.name),
    allFinite: gradValues.every((g) => g?.dataSync().every(Number.isFinite) === true),
    gradNorm: Math.sqrt(tf.tidy(() => gradValues.reduce((sum, g) => sum + (g === undefined ? 0 : tf.sum(tf.square(g)).dataSync()[0]!), 0))),
  };
  tf.dispose([value, ...Object.values(grads)]);
  return result;
}

const cases: { name: string; build: () => tfl.LayersModel; inputShapes: number[][]; outputShape: (number | null)[] }[] = [
  { name: 'conv4', build: () => conv4({ seed: 1 }), inputShapes: [[BATCH, 28, 28, 1]], outputShape: [null, 64] },
  {
    name: 'conv-stack (default: the Fashion-MNIST CNN)',
    build: () => convStack({ seed: 1 }),
    inputShapes: [[BATCH, 28, 28, 1]],
    outputShape: [null, 128],
  },
  {
    name: 'conv-stack (same-padded stride 2, batch norm, overlapping avg-pool, global average, two dense)',
    build: () =>
      convStack({
        seed: 1,
        inputShape: [12, 12, 3],
        layers: [
          {
            filters: 4,
            kernelSize: 3,
            stride: 2,
            padding: 'same',
            batchNorm: true,
            activation: 'elu',
            pool: { kind: 'avg', size: 3, stride: 1 },
          },
          { filters: 6, kernelSize: 1, activation: 'tanh', pool: { kind: 'max', size: 2 } },
        ],
        reduce: 'global-average',
        dense: [8, 5],
      }),
    inputShapes: [[BATCH, 12, 12, 3]],
    outputShape: [null, 5],
  },
  { name: 'lenet', build: () => lenet({ seed: 1 }), inputShapes: [[BATCH, 28, 28, 1]], outputShape: [null, 84] },
  { name: 'smallCnn', build: () => smallCnn({ seed: 1 }), inputShapes: [[BATCH, 28, 28, 1]], outputShape: [null, 128] },
  {
    name: 'resnet18 (base width 16, 8x8 input)',
    build: () => resnet18({ seed: 1, baseWidth: 16, inputShape: [8, 8, 3] }),
    inputShapes: [[BATCH, 8, 8, 3]],
    outputShape: [null, 128],
  },
  {
    name: 'WRN-16-1 (dropout 0.3, 8x8)',
    build: () => wideResNet({ depth: 16, widen: 1, dropRate: 0.3, seed: 1, inputShape: [8, 8, 3] }),
    inputShapes: [[BATCH, 8, 8, 3]],
    outputShape: [null, 64],
  },
  {
    name: 'DenseNet-BC-10-12 (8x8)',
    build: () => denseNetBC({ depth: 10, seed: 1, inputShape: [8, 8, 3] }),
    inputShapes: [[BATCH, 8, 8, 3]],
    outputShape: [null, 27],
  },
  {
    name: 'Patch-SVDD 32',
    build: () => patchSvddEncoder({ patchSize: 32, seed: 1 }),
    inputShapes: [[BATCH, 32, 32, 3]],
    outputShape: [null, 64],
  },
  {
    name: 'Patch-SVDD 64 (hierarchical)',
    build: () => patchSvddEncoder({ patchSize: 64, seed: 1 }),
    inputShapes: [[BATCH, 64, 64, 3]],
    outputShape: [null, 64],
  },
  {
    name: 'Patch-SVDD position classifier',
    build: () => patchSvddPositionClassifier({ seed: 1 }),
    inputShapes: [
      [BATCH, 64],
      [BATCH, 64],
    ],
    outputShape: [null, 8],
  },
  {
    name: 'U-Net depth 2 width 4 (16x16)',
    build: () => segmentationUNet({ depth: 2, width: 4, embeddingDim: 8, seed: 1, inputShape: [16, 16, 3] }),
    inputShapes: [[BATCH, 16, 16, 3]],
    outputShape: [null, 16, 16, 8],
  },
];

describe('forward and backward pass on the wasm backend', () => {
  for (const { name, build, inputShapes, outputShape } of cases) {
    it(`${name}: finite, non-zero gradients for every trainable weight`, () => {
      expect(tf.getBackend()).toBe('wasm');
      const model = build();
      const inputs = inputShapes.map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', INPUT_SEED + i));
      const before = tf.memory().numTensors;
      const result = forwardBackward(model, inputs);
      expect(tf.memory().numTensors).toBe(before);
      expect(model.outputs[0]!.shape).toEqual(outputShape);
      expect(Number.isFinite(result.loss)).toBe(true);
      expect(result.missing).toEqual([]);
      expect(result.allFinite).toBe(true);
      expect(result.gradNorm).toBeGreaterThan(0);
      tf.dispose(inputs);
      model.dispose();
    });
  }

  it('smallCnn: the wasm gradient matches a central finite difference along it', () => {
    const model = smallCnn({ seed: 2 });
    const x = tf.randomNormal([BATCH, 28, 28, 1], 0, 1, 'float32', INPUT_SEED);
    const weights = tf.randomNormal([BATCH, 128], 0, 1, 'float32', INPUT_SEED + 1);
    const variables = trainableVariables(model);
    // L(theta) = sum(embedding * r): linear in the output, so the check exercises the network only.
    const loss = () => tf.sum(tf.mul(model.apply(x, { training: false }) as tf.Tensor, weights)) as tf.Scalar;
    const { grads } = tf.variableGrads(loss, variables);
    const norm = Math.sqrt(tf.tidy(() => variables.reduce((s, v) => s + tf.sum(tf.square(grads[v.name]!)).dataSync()[0]!, 0)));
    const originals = variables.map((v) => v.clone());
    // The step is small next to the weights (std ~0.3) but large enough for float32 sums of ~3e3 terms.
    const step = 1e-2;
    const lossAt = (sign: number) => {
      tf.tidy(() =>
        variables.forEach((v, i) => {
          v.assign(tf.add(originals[i]!, tf.mul(grads[v.name]!, (sign * step) / norm)));
        }),
      );
      return tf.tidy(() => loss().dataSync()[0]!);
    };
    const directional = (lossAt(1) - lossAt(-1)) / (2 * step);
    expect(Math.abs(directional - norm) / norm).toBeLessThan(0.02);
    tf.dispose([x, weights, ...originals, ...Object.values(grads)]);
    model.dispose();
  });
});
