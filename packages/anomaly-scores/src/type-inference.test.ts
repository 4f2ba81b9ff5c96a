// Compile-time checks of the Float32Array / tensor return type (tsc fails if one is wrong), plus
// the runtime values they describe.
import * as tf from '@tensorflow/tfjs-core';
import { expect, expectTypeOf, it } from 'vitest';
import { hyperbolicScore } from './hyperbolic-score';
import { type MaxSoftmaxOptions, maxSoftmaxScore } from './max-softmax-score';

it('returns a Float32Array by default and a tensor for asTensor: true', () => {
  const x = tf.tensor2d([[1, 2]]);
  const plain = maxSoftmaxScore(x);
  const withOptions = maxSoftmaxScore(x, { temperature: 2 });
  const explicitFalse = maxSoftmaxScore(x, { asTensor: false });
  const tensor = maxSoftmaxScore(x, { asTensor: true, batchSize: 4 });
  const unknownFlag: MaxSoftmaxOptions = { asTensor: Math.random() > 2 };
  const either = maxSoftmaxScore(x, unknownFlag);
  const zH = hyperbolicScore(tf.tensor2d([[0.1, 0.2]]), { k: -1, output: 'z' });
  expectTypeOf(plain).toEqualTypeOf<Float32Array>();
  expectTypeOf(withOptions).toEqualTypeOf<Float32Array>();
  expectTypeOf(explicitFalse).toEqualTypeOf<Float32Array>();
  expectTypeOf(zH).toEqualTypeOf<Float32Array>();
  expectTypeOf(tensor).toEqualTypeOf<tf.Tensor1D>();
  expectTypeOf(either).toEqualTypeOf<Float32Array | tf.Tensor1D>();
  expect(plain).toBeInstanceOf(Float32Array);
  expect(either).toBeInstanceOf(Float32Array);
  expect(tensor).toBeInstanceOf(tf.Tensor);
  tensor.dispose();
  x.dispose();
});
