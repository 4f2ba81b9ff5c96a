import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createUint32Stream, createUniformStream, uniformInteger } from '../seeded-random.mjs';

describe('createUint32Stream (mulberry32)', () => {
  it('gives the published mulberry32 stream, the numbers every seeded data path and result was made with', () => {
    // mulberry32(0)() / 2^32 = 0.26642920868471265, the value quoted wherever mulberry32 is published.
    const zero = createUint32Stream(0);
    expect([zero(), zero(), zero(), zero()]).toEqual([1144304738, 1416247, 958946056, 627933444]);
    const fortyTwo = createUint32Stream(42);
    expect([fortyTwo(), fortyTwo(), fortyTwo()]).toEqual([2581720956, 1925393290, 3661312704]);
  });

  it('reduces a seed as seed >>> 0 does: negative and fractional seeds map onto uint32 seeds', () => {
    const minusOne = createUint32Stream(-1);
    const max = createUint32Stream(2 ** 32 - 1);
    expect([minusOne(), minusOne()]).toEqual([max(), max()]);
    expect(createUint32Stream(7.9)()).toBe(createUint32Stream(7)());
  });

  it('rejects a seed that is not a finite number, naming the value', () => {
    expect(() => createUint32Stream(Number.NaN)).toThrow(/seed must be a finite number, got NaN/);
    expect(() => createUint32Stream(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('is uniform enough: chi-square over 16 bins for 64k draws', () => {
    const next = createUint32Stream(12345);
    const bins = new Array<number>(16).fill(0);
    const draws = 65536;
    for (let i = 0; i < draws; i++) bins[next() >>> 28]!++;
    const expected = draws / 16;
    const chi2 = bins.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
    // 15 degrees of freedom: P(chi2 > 37.7) = 0.001.
    expect(chi2).toBeLessThan(37.7);
  });
});

describe('createUniformStream and uniformInteger', () => {
  it('divide the uint32 draw by 2^32', () => {
    const u = createUniformStream(123);
    expect([u(), u()]).toEqual([0.7872516233474016, 0.1785435655619949]);
  });

  test.prop([fc.integer(), fc.integer({ min: 1, max: 1000 })])('repeat per seed and stay in range', (seed, n) => {
    const a = createUniformStream(seed);
    const b = createUniformStream(seed);
    for (let i = 0; i < 20; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x >= 0 && x < 1).toBe(true);
    }
    const k = uniformInteger(createUniformStream(seed), n);
    expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
  });
});
