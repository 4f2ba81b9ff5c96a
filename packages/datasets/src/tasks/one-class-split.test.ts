import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { denseSet } from '../test-support/toy-sets.js';
import { oneClassSplit } from './one-class-split.js';

describe('oneClassSplit', () => {
  it('keeps only the normal class for training and labels every other test class anomalous', () => {
    const train = denseSet(30, 4, 4, 1, 10);
    const test = denseSet(20, 4, 4, 1, 10);
    const split = oneClassSplit({ train, test, normalClass: 3 });
    expect(split.train.shape).toEqual([3, 4, 4, 1]);
    expect(Array.from(split.train.labels)).toEqual([3, 3, 3]);
    // the kept images are training images 3, 13, 23, pixel for pixel
    for (const [k, src] of [3, 13, 23].entries()) {
      expect(Array.from(split.train.images.subarray(k * 16, (k + 1) * 16))).toEqual(
        Array.from(train.images.subarray(src * 16, (src + 1) * 16)),
      );
    }
    expect(split.test.shape).toEqual([20, 4, 4, 1]);
    expect(Array.from(split.test.anomalyLabels)).toEqual(Array.from(test.labels, (l) => (l === 3 ? 0 : 1)));
  });

  it('rejects a class absent from the training data and mismatched image shapes', () => {
    expect(() => oneClassSplit({ train: denseSet(5, 4, 4, 1, 2), test: denseSet(5, 4, 4, 1, 2), normalClass: 7 })).toThrow(DatasetError);
    expect(() => oneClassSplit({ train: denseSet(5, 4, 4, 1, 2), test: denseSet(5, 5, 4, 1, 2), normalClass: 0 })).toThrow(
      /4x4x1 but test images 5x4x1/,
    );
  });
});
