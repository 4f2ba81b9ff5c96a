// Trains one small net of each backbone family in DESIGN.md (Conv-4, ResNet, WRN, DenseNet-BC,
// depthwise/separable, segmentation, embedding) for two steps on wasm and on cpu from the same
// seeded weights: every kernel their training needs must exist on wasm and agree with cpu.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak } from '../memory/memory-checks';
import { seed, unseed } from '../seed/seed';
import { readyWasm } from '../test-support/backends';

const L = tfl.layers;
type Builder = () => tfl.LayersModel;

function convBnRelu(x: tfl.SymbolicTensor, filters: number, strides = 1): tfl.SymbolicTensor {
  const y = L.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false }).apply(x) as tfl.SymbolicTensor;
  return L.activation({ activation: 'relu' }).apply(L.batchNormalization().apply(y)) as tfl.SymbolicTensor;
}

function head(x: tfl.SymbolicTensor, input: tfl.SymbolicTensor): tfl.LayersModel {
  return tfl.model({ inputs: input, outputs: L.dense({ units: 3, activation: 'softmax' }).apply(x) as tfl.SymbolicTensor });
}

const FAMILIES: Record<string, Builder> = {
  'Conv-4 (conv, batch norm, max pool)': () => {
    const input = tfl.input({ shape: [8, 8, 3] });
    let x = input;
    for (let i = 0; i < 2; i++) x = L.maxPooling2d({ poolSize: 2 }).apply(convBnRelu(x, 4)) as tfl.SymbolicTensor;
    return head(L.flatten().apply(x) as tfl.SymbolicTensor, input);
  },
  'ResNet block (residual add, 1x1 stride-2 shortcut)': () => {
    const input = tfl.input({ shape: [6, 6, 3] });
    const x = convBnRelu(input, 4);
    let y = convBnRelu(x, 8, 2);
    y = L.batchNormalization().apply(L.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(y)) as tfl.SymbolicTensor;
    const shortcut = L.batchNormalization().apply(L.conv2d({ filters: 8, kernelSize: 1, strides: 2 }).apply(x)) as tfl.SymbolicTensor;
    const sum = L.activation({ activation: 'relu' }).apply(L.add().apply([y, shortcut])) as tfl.SymbolicTensor;
    return head(L.globalAveragePooling2d({}).apply(sum) as tfl.SymbolicTensor, input);
  },
  'WRN block (pre-activation, dropout, average pool)': () => {
    const input = tfl.input({ shape: [6, 6, 3] });
    let x = L.activation({ activation: 'relu' }).apply(L.batchNormalization().apply(input)) as tfl.SymbolicTensor;
    x = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(x) as tfl.SymbolicTensor;
    x = L.dropout({ rate: 0.3 }).apply(x) as tfl.SymbolicTensor;
    x = L.averagePooling2d({ poolSize: 2 }).apply(x) as tfl.SymbolicTensor;
    return head(L.flatten().apply(x) as tfl.SymbolicTensor, input);
  },
  'DenseNet-BC block (bottleneck, concat, transition)': () => {
    const input = tfl.input({ shape: [6, 6, 3] });
    let x = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(input) as tfl.SymbolicTensor;
    for (let i = 0; i < 2; i++) {
      let y = L.activation({ activation: 'relu' }).apply(L.batchNormalization().apply(x)) as tfl.SymbolicTensor;
      y = convBnRelu(L.conv2d({ filters: 8, kernelSize: 1 }).apply(y) as tfl.SymbolicTensor, 2);
      x = L.concatenate().apply([x, y]) as tfl.SymbolicTensor;
    }
    x = L.averagePooling2d({ poolSize: 2 }).apply(L.conv2d({ filters: 4, kernelSize: 1 }).apply(x)) as tfl.SymbolicTensor;
    return head(L.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor, input);
  },
  'depthwise / separable convs (leaky ReLU)': () => {
    const input = tfl.input({ shape: [6, 6, 3] });
    let x = L.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same', depthMultiplier: 2 }).apply(input) as tfl.SymbolicTensor;
    x = L.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same' }).apply(x) as tfl.SymbolicTensor;
    x = L.leakyReLU({ alpha: 0.1 }).apply(x) as tfl.SymbolicTensor;
    return head(L.flatten().apply(x) as tfl.SymbolicTensor, input);
  },
  'segmentation (transposed conv, bilinear upsampling, skip concat)': () => {
    const input = tfl.input({ shape: [8, 8, 3] });
    const e = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'elu' }).apply(input) as tfl.SymbolicTensor;
    const down = L.maxPooling2d({ poolSize: 2 }).apply(e) as tfl.SymbolicTensor;
    const up1 = L.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }).apply(down) as tfl.SymbolicTensor;
    const up2 = L.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }).apply(down) as tfl.SymbolicTensor;
    const x = L.concatenate().apply([up1, e, up2]) as tfl.SymbolicTensor;
    return tfl.model({
      inputs: input,
      outputs: L.conv2d({ filters: 3, kernelSize: 1, activation: 'softmax' }).apply(x) as tfl.SymbolicTensor,
    });
  },
  'embedding (gather gradient)': () => {
    const input = tfl.input({ shape: [5] });
    const x = L.flatten().apply(L.embedding({ inputDim: 7, outputDim: 3 }).apply(input)) as tfl.SymbolicTensor;
    return head(x, input);
  },
};

const OPTIMIZERS = {
  adam: () => tf.train.adam(1e-2),
  'nesterov momentum': () => tf.train.momentum(0.05, 0.9, true),
};

/** Two seeded training steps on `backend`; returns both losses. */
async function twoSteps(build: Builder, optimizer: keyof typeof OPTIMIZERS, backend: 'cpu' | 'wasm'): Promise<number[]> {
  await tf.setBackend(backend);
  seed(5);
  const model = build();
  model.compile({ optimizer: OPTIMIZERS[optimizer](), loss: 'categoricalCrossentropy' });
  const inShape = [4, ...(model.inputs[0]!.shape.slice(1) as number[])];
  const outShape = model.outputs[0]!.shape.slice(1, -1) as number[];
  const isEmbedding = model.layers.some((l) => l.getClassName() === 'Embedding');
  const x = isEmbedding ? tf.floor(tf.randomUniform(inShape, 0, 7)) : tf.randomNormal(inShape);
  const y = tf.oneHot(tf.randomUniform([4, ...outShape], 0, 3, 'int32'), 3);
  const losses: number[] = [];
  for (let i = 0; i < 2; i++) losses.push((await model.trainOnBatch(x, y)) as number);
  tf.dispose([x, y]);
  model.dispose();
  return losses;
}

beforeAll(readyWasm);
afterEach(async () => {
  unseed();
  await tf.setBackend('cpu');
});

describe('training each backbone family on wasm', () => {
  for (const [family, build] of Object.entries(FAMILIES)) {
    for (const optimizer of Object.keys(OPTIMIZERS) as (keyof typeof OPTIMIZERS)[]) {
      it(`${family}, ${optimizer}: same losses as cpu`, async () => {
        const wasm = await twoSteps(build, optimizer, 'wasm');
        const cpu = await twoSteps(build, optimizer, 'cpu');
        for (const loss of wasm) expect(Number.isFinite(loss)).toBe(true);
        // Float32 sums in different orders; the second loss includes one update step.
        for (let i = 0; i < 2; i++) expect(Math.abs(wasm[i]! - cpu[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(cpu[i]!)));
      });
    }
  }

  it('a training step on wasm leaks no tensors', async () => {
    await tf.setBackend('wasm');
    seed(2);
    const model = FAMILIES['ResNet block (residual add, 1x1 stride-2 shortcut)']!();
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const x = tf.randomNormal([4, 6, 6, 3]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3);
    await expectNoLeak(() => model.trainOnBatch(x, y), { label: 'trainOnBatch on wasm' });
    tf.dispose([x, y]);
    model.dispose();
  });
});
