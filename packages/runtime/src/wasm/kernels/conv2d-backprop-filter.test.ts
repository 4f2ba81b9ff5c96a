import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, relativeError, testValues, valuesOn } from '../../test-support/backends';
import { convCase, convOutputSize, type ConvCase } from '../../test-support/conv-cases';

const TOLERANCE = 1e-4;

beforeAll(readyWasm);

function filterGradient(c: ConvCase): tf.Tensor {
  const [outH, outW] = [convOutputSize(c, 'h'), convOutputSize(c, 'w')];
  const x = tf.tensor4d(testValues(c.batch * c.height * c.width * c.inChannels, c.seed), [c.batch, c.height, c.width, c.inChannels]);
  const dy = tf.tensor4d(testValues(c.batch * outH * outW * c.outChannels, c.seed + 1), [c.batch, outH, outW, c.outChannels]);
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
    strides: c.strides,
    pad: c.pad,
    dataFormat: 'NHWC',
    filterShape: [c.filterHeight, c.filterWidth, c.inChannels, c.outChannels],
  } as never) as tf.Tensor;
}

describe('Conv2DBackpropFilter on wasm', () => {
  test.prop([convCase({ dilations: false })], { numRuns: 40 })('matches the cpu backend', (c) => {
    const expected = valuesOn('cpu', () => filterGradient(c));
    const actual = valuesOn('wasm', () => filterGradient(c));
    expect(actual.length).toBe(c.filterHeight * c.filterWidth * c.inChannels * c.outChannels);
    expect(relativeError(actual, expected)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('gives the gradient tf.grad uses for conv2d (end to end, stride 2, same)', () => {
    const run = () => {
      const x = tf.tensor4d(testValues(2 * 7 * 7 * 3, 5), [2, 7, 7, 3]);
      const w = tf.tensor4d(testValues(3 * 3 * 3 * 4, 6), [3, 3, 3, 4]);
      return tf.grad((filter: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, filter as tf.Tensor4D, 2, 'same'))))(w);
    };
    expect(relativeError(valuesOn('wasm', run), valuesOn('cpu', run))).toBeLessThanOrEqual(TOLERANCE);
  });

  it('does not leak tensors', () => {
    const c: ConvCase = {
      batch: 2, height: 6, width: 5, inChannels: 2, outChannels: 3, filterHeight: 3, filterWidth: 2,
      strides: [2, 1], dilations: [1, 1], pad: 'valid', seed: 3,
    };
    valuesOn('wasm', () => filterGradient(c));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) valuesOn('wasm', () => filterGradient(c));
    expect(tf.memory().numTensors).toBe(before);
  });
});
