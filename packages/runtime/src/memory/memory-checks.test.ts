import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { CurvadRuntimeError } from '../errors';
import { countTensorsDelta, expectNoLeak } from './memory-checks';

describe('countTensorsDelta', () => {
  it('counts the tensors (and bytes) a function leaves alive', async () => {
    let stray: tf.Tensor | undefined;
    const { result, numTensors, numBytes } = await countTensorsDelta(() => {
      stray = tf.ones([3]);
      return tf.tidy(() => tf.add(tf.ones([2, 2]), 1));
    });
    expect(numTensors).toBe(2);
    expect(numBytes).toBe((3 + 4) * 4);
    expect(Array.from(result.dataSync())).toEqual([2, 2, 2, 2]);
    stray!.dispose();
    result.dispose();
  });

  it('is zero for a tidy function whose result is disposed', async () => {
    const { numTensors } = await countTensorsDelta(() => tf.tidy(() => void tf.mul(tf.ones([4]), 3)));
    expect(numTensors).toBe(0);
  });
});

describe('expectNoLeak', () => {
  it('passes for a clean function, returned tensors included (sync and async)', async () => {
    await expectNoLeak(() => tf.tidy(() => tf.exp(tf.ones([5]))));
    await expectNoLeak(async () => ({ a: tf.ones([1]), b: [tf.zeros([2])] }));
  });

  it('throws a CurvadRuntimeError that counts leaked tensors per call', async () => {
    const leaky = () => {
      tf.ones([2]);
      return tf.zeros([1]);
    };
    const error = await expectNoLeak(leaky, { runs: 4, label: 'leaky()' }).catch((e: unknown) => e);
    expect(CurvadRuntimeError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^leaky\(\) leaked 4 tensor\(s\) \(32 bytes\) over 4 call\(s\) \(1 per call\)/);
  });

  it('ignores one-time allocations in warm-up calls', async () => {
    let cache: tf.Tensor | undefined;
    await expectNoLeak(() => {
      cache ??= tf.ones([3]);
      return tf.tidy(() => tf.add(cache!, 1));
    });
    cache!.dispose();
  });

  it('counts the returned value as a leak when asked not to dispose it', async () => {
    const made: tf.Tensor[] = [];
    await expect(expectNoLeak(() => made.push(tf.ones([1])) && made.at(-1), { disposeResult: false })).rejects.toThrow(/leaked 3/);
    tf.dispose(made);
  });

  it('rejects bad run counts', async () => {
    await expect(expectNoLeak(() => 0, { runs: 0 })).rejects.toThrowError(CurvadRuntimeError);
  });
});
