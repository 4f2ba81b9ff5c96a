import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { shardSizes, updateMsPerImage } from './balance-shards';

describe('shardSizes', () => {
  it('splits equally (sizes differing by at most one) without timings', () => {
    expect(shardSizes(32, 2)).toEqual([16, 16]);
    expect(shardSizes(7, 3)).toEqual([3, 2, 2]);
    expect(shardSizes(7, 3, [1, Number.NaN, 1])).toEqual([3, 2, 2]);
  });

  it('gives the faster thread the bigger shard, in proportion to its speed', () => {
    // 826 ms and 1238 ms for 16 images each: speeds 1 / 51.6 and 1 / 77.4 per ms.
    expect(shardSizes(32, 2, [826 / 16, 1238 / 16])).toEqual([19, 13]);
    expect(shardSizes(30, 3, [1, 2, 2])).toEqual([14, 8, 8]);
  });

  test.prop([fc.integer({ min: 1, max: 512 }), fc.array(fc.double({ min: 0.01, max: 1000, noNaN: true }), { minLength: 1, maxLength: 8 })])(
    'sums to the batch and gives every thread at least one image',
    (extra, ms) => {
      const batch = ms.length + extra - 1;
      const sizes = shardSizes(batch, ms.length, ms);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(batch);
      for (const s of sizes) expect(s).toBeGreaterThanOrEqual(1);
    },
  );
});

describe('updateMsPerImage', () => {
  it('starts from the first measurement, then averages with the last estimate, keeping it for bad readings', () => {
    expect(updateMsPerImage(undefined, [10, 20])).toEqual([10, 20]);
    expect(updateMsPerImage([10, 20], [20, 40])).toEqual([15, 30]);
    expect(updateMsPerImage([10, 20], [0, Number.NaN])).toEqual([10, 20]);
  });
});
