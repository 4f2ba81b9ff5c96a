import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createRng, shuffledIndices } from './random.js';

describe('seeded randomness', () => {
  test.prop([fc.integer({ min: 0, max: 300 }), fc.integer()])('shuffledIndices is a permutation, the same for the same seed', (n, seed) => {
    const a = shuffledIndices(n, seed);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(Array.from(shuffledIndices(n, seed))).toEqual(Array.from(a));
  });

  it('draws uniform values in [0, 1): mean 1/2, variance 1/12 within sampling error', () => {
    const rng = createRng(123);
    const N = 100_000;
    let sum = 0;
    let sq = 0;
    let outside = 0;
    for (let i = 0; i < N; i++) {
      const u = rng();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sq += u * u;
    }
    expect(outside).toBe(0);
    const mean = sum / N;
    // 5 standard errors: sqrt(1/12 / N) ~ 0.0009
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0046);
    expect(Math.abs(sq / N - mean * mean - 1 / 12)).toBeLessThan(0.002);
    expect(createRng(5)()).not.toBe(createRng(6)());
  });

  it('keeps the stream every data order was made with (values of the mulberry32 copy this package had before)', () => {
    const rng = createRng(-3.5);
    expect([rng(), rng()]).toEqual([0.5127934608608484, 0.46524663479067385]);
    expect(Array.from(shuffledIndices(12, 2026))).toEqual([10, 2, 0, 9, 8, 4, 7, 1, 11, 6, 3, 5]);
  });

  it('rejects a non-finite seed', () => {
    expect(() => createRng(Number.NaN)).toThrow(/finite/);
  });
});
