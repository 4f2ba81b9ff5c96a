import { test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, relativeError, testValues, valuesOn } from '../../test-support/backends';
import { type ConvCase, convCase, convOutputSize } from '../../test-support/conv-cases';
import { depthwiseFilterGradientReference, depthwiseInputGradientReference } from '../../test-support/depthwise-reference';

const TOLERANCE = 1e-4;

beforeAll(readyWasm);

/** Depthwise cases: outChannels is read as the channel multiplier. */
function shapes(c: ConvCase) {
  const multiplier = c.outChannels;
  return {
    x: [c.batch, c.height, c.width, c.inChannels] as [number, number, number, number],
    filter: [c.filterHeight, c.filterWidth, c.inChannels, multiplier] as [number, number, number, number],
    dy: [c.batch, convOutputSize(c, 'h'), convOutputSize(c, 'w'), c.inChannels * multiplier] as [number, number, number, number],
  };
}

function inputs(c: ConvCase) {
  const s = shapes(c);
  return {
    x: testValues(tf.util.sizeFromShape(s.x), c.seed),
    filter: testValues(tf.util.sizeFromShape(s.filter), c.seed + 2),
    dy: testValues(tf.util.sizeFromShape(s.dy), c.seed + 1),
  };
}

function filterGradient(c: ConvCase): tf.Tensor {
  const s = shapes(c);
  const x = tf.tensor4d(inputs(c).x, s.x);
  const dy = tf.tensor4d(inputs(c).dy, s.dy);
  return tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, {
    strides: c.strides,
    dilations: c.dilations,
    pad: c.pad,
    filterShape: s.filter,
  } as never) as tf.Tensor;
}

function inputGradient(c: ConvCase): tf.Tensor {
  const s = shapes(c);
  const filter = tf.tensor4d(inputs(c).filter, s.filter);
  const dy = tf.tensor4d(inputs(c).dy, s.dy);
  return tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter }, {
    strides: c.strides,
    dilations: c.dilations,
    pad: c.pad,
    inputShape: s.x,
  } as never) as tf.Tensor;
}

describe('depthwise conv backprops on wasm', () => {
  // tfjs's cpu depthwise backprops ignore dilations (tfjs's autodiff refuses dilated depthwise
  // gradients, so nothing there exercises them): dilated cases are checked against float64 sums
  // from the definition, undilated ones against the cpu backend as well.
  test.prop([convCase({ dilations: false })], { numRuns: 30 })('filter gradient matches the cpu backend', (c) => {
    const expected = valuesOn('cpu', () => filterGradient(c));
    const actual = valuesOn('wasm', () => filterGradient(c));
    expect(actual.length).toBe(tf.util.sizeFromShape(shapes(c).filter));
    expect(relativeError(actual, expected)).toBeLessThanOrEqual(TOLERANCE);
  });

  test.prop([convCase({ dilations: false })], { numRuns: 30 })('input gradient matches the cpu backend', (c) => {
    const expected = valuesOn('cpu', () => inputGradient(c));
    const actual = valuesOn('wasm', () => inputGradient(c));
    expect(actual.length).toBe(tf.util.sizeFromShape(shapes(c).x));
    expect(relativeError(actual, expected)).toBeLessThanOrEqual(TOLERANCE);
  });

  test.prop([convCase({ dilations: true })], { numRuns: 40 })('filter gradient matches the definition (dilations)', (c) => {
    const { x, dy } = inputs(c);
    const actual = valuesOn('wasm', () => filterGradient(c));
    expect(relativeError(actual, depthwiseFilterGradientReference(c, x, dy))).toBeLessThanOrEqual(TOLERANCE);
  });

  test.prop([convCase({ dilations: true })], { numRuns: 40 })('input gradient matches the definition (dilations)', (c) => {
    const { filter, dy } = inputs(c);
    const actual = valuesOn('wasm', () => inputGradient(c));
    expect(relativeError(actual, depthwiseInputGradientReference(c, dy, filter))).toBeLessThanOrEqual(TOLERANCE);
  });

  it('gives the gradients tf.grads uses for depthwiseConv2d (end to end, stride 2, multiplier 2)', () => {
    const run = (which: 0 | 1) => () => {
      const x = tf.tensor4d(testValues(2 * 7 * 6 * 3, 5), [2, 7, 6, 3]);
      const w = tf.tensor4d(testValues(3 * 3 * 3 * 2, 6), [3, 3, 3, 2]);
      const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')));
      return tf.grads(loss)([x, w])[which]!;
    };
    for (const which of [0, 1] as const) {
      expect(relativeError(valuesOn('wasm', run(which)), valuesOn('cpu', run(which)))).toBeLessThanOrEqual(TOLERANCE);
    }
  });
});
