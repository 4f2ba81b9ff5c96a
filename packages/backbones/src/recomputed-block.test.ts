import { expectNoLeak, initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DenseNetBCOptions, denseNetBC } from './densenet-bc';
import { BackboneError } from './errors';
import { type WideResNetOptions, wideResNet } from './wide-resnet';
import { withClassifier } from './with-classifier';

const INPUT_SEED = 3;

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

afterAll(async () => {
  await tf.setBackend('wasm');
});

/** Training-mode output, loss = mean(output * fixed random weights), and the loss's gradient per weight. */
function forwardBackward(model: tfl.LayersModel, x: tf.Tensor) {
  const weights = model.trainableWeights;
  const variables = weights.map((w) => w.read() as tf.Variable);
  return tf.tidy(() => {
    let outputValues: number[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const output = model.apply(x, { training: true }) as tf.Tensor;
      outputValues = Array.from(output.dataSync());
      const mix = tf.randomNormal(output.shape, 0, 1, 'float32', INPUT_SEED + 1);
      return tf.mean(tf.mul(output, mix)) as tf.Scalar;
    }, variables);
    return {
      output: outputValues,
      loss: value.dataSync()[0]!,
      // originalName: the name before tfjs makes it unique across the models of the process.
      grads: weights.map((w, i) => ({ name: w.originalName, values: Array.from(grads[variables[i]!.name]!.dataSync()) })),
      movingStatistics: model.nonTrainableWeights.map((w) => Array.from(w.read().dataSync())),
    };
  });
}

/**
 * ||a - b|| / ||b||: the paths into a tensor that several layers read are summed in another order when
 * blocks are recomputed, so single near-zero entries differ by float32 rounding of their larger terms.
 */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let difference = 0;
  let norm = 0;
  for (let i = 0; i < b.length; i++) {
    difference += (a[i]! - b[i]!) ** 2;
    norm += b[i]! ** 2;
  }
  return Math.sqrt(difference / norm);
}

const nets: { name: string; build: (memory: 'store' | 'recompute') => tfl.LayersModel; shape: number[] }[] = [
  {
    name: 'WRN-10-2 (projections, strides)',
    build: (memory) => wideResNet({ depth: 10, widen: 2, inputShape: [8, 8, 3], seed: 4, memory } satisfies WideResNetOptions),
    shape: [3, 8, 8, 3],
  },
  {
    name: 'DenseNet-BC-16-4',
    build: (memory) => denseNetBC({ depth: 16, growthRate: 4, inputShape: [8, 8, 3], seed: 4, memory } satisfies DenseNetBCOptions),
    shape: [3, 8, 8, 3],
  },
];

describe("memory: 'recompute'", () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const net of nets) {
      it(`${net.name} on ${backend}: output, loss, every gradient and the moving statistics equal memory 'store''s to 1e-5`, async () => {
        await tf.setBackend(backend);
        const x = tf.randomNormal(net.shape, 0, 1, 'float32', INPUT_SEED);
        const stored = net.build('store');
        const recomputed = net.build('recompute');
        expect(recomputed.weights.map((w) => w.originalName)).toEqual(stored.weights.map((w) => w.originalName));
        const plain = forwardBackward(stored, x);
        const checked = forwardBackward(recomputed, x);
        expect(relativeError(checked.output, plain.output)).toBeLessThan(1e-5);
        expect(Math.abs(checked.loss - plain.loss) / Math.abs(plain.loss)).toBeLessThan(1e-5);
        const plainGrads = new Map(plain.grads.map((g) => [g.name, g.values]));
        expect(checked.grads.length).toBe(plain.grads.length);
        for (const g of checked.grads) {
          expect(g.values.some((v) => v !== 0)).toBe(true);
          expect(relativeError(g.values, plainGrads.get(g.name)!), g.name).toBeLessThan(1e-5);
        }
        // Moving statistics were updated once (by the forward pass), not again by the recompute.
        expect(relativeError(checked.movingStatistics.flat(), plain.movingStatistics.flat())).toBeLessThan(1e-6);
        x.dispose();
        stored.dispose();
        recomputed.dispose();
      });
    }
  }

  it('two trainOnBatch steps of a compiled model (SGD with momentum) give the same losses and weights', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', INPUT_SEED);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
    const train = async (memory: 'store' | 'recompute') => {
      const model = withClassifier(nets[0]!.build(memory), 3, { seed: 2 });
      model.compile({ optimizer: tf.train.momentum(0.1, 0.9), loss: (yTrue, logits) => tf.losses.softmaxCrossEntropy(yTrue, logits) });
      const losses = [Number(await model.trainOnBatch(x, y)), Number(await model.trainOnBatch(x, y))];
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.optimizer.dispose();
      model.dispose();
      return { losses, weights };
    };
    const plain = await train('store');
    const checked = await train('recompute');
    expect(plain.losses[1]).not.toBeCloseTo(plain.losses[0]!, 3);
    for (let i = 0; i < 2; i++) expect(Math.abs(checked.losses[i]! - plain.losses[i]!) / plain.losses[i]!).toBeLessThan(1e-5);
    expect(checked.weights.length).toBe(plain.weights.length);
    for (let i = 0; i < plain.weights.length; i++) expect(relativeError(checked.weights[i]!, plain.weights[i]!)).toBeLessThan(1e-5);
    tf.dispose([x, y]);
  });

  it('a training step with an optimizer leaks no tensor, and dispose frees every weight', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const model = nets[1]!.build('recompute');
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', INPUT_SEED);
    const optimizer = tf.train.sgd(0.1);
    const weights = model.trainableWeights;
    const variables = weights.map((w) => w.read() as tf.Variable);
    const step = () =>
      optimizer.minimize(() => tf.mean(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, false, variables);
    step();
    await expectNoLeak(step, { runs: 3, label: 'recompute training step' });
    await expectNoLeak(() => model.predict(x), { runs: 3, label: 'recompute predict' });
    x.dispose();
    optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses dropout, whose second pass would draw another mask, and an unknown mode', () => {
    expect(() => wideResNet({ depth: 10, widen: 1, dropRate: 0.3, memory: 'recompute' })).toThrow(/dropRate 0 or memory 'store'/);
    expect(() => denseNetBC({ depth: 10, dropRate: 0.2, memory: 'recompute' })).toThrow(BackboneError);
    expect(() => wideResNet({ depth: 10, widen: 1, memory: 'checkpoint' as 'store' })).toThrow(/memory must be 'store' or 'recompute'/);
  });
});
