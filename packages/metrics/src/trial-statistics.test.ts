import { createUniformStream } from '@curvad/seeded-random';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatTableCell } from './format-table-cell';
import { seededIntegers } from './seeded-random';
import { bootstrapInterval, mean, sampleStd, summarizeTrials } from './trial-statistics';

describe('mean and sample std', () => {
  it('closed forms', () => {
    expect(mean([0.9, 0.92, 0.94])).toBeCloseTo(0.92, 15);
    // Deviations -0.02, 0, 0.02: sum of squares 8e-4 over n - 1 = 2.
    expect(sampleStd([0.9, 0.92, 0.94])).toBeCloseTo(0.02, 15);
    expect(sampleStd(Float64Array.from([2, 4, 4, 4, 5, 5, 7, 9]))).toBeCloseTo(Math.sqrt(32 / 7), 14);
  });

  it('need enough finite values', () => {
    expect(() => mean([])).toThrow(/at least 1/);
    expect(() => sampleStd([0.5])).toThrow(/at least 2/);
    expect(() => mean([0.5, NaN])).toThrow(/index 1/);
  });
});

describe('seeded PRNG', () => {
  it("is the workspace's one generator: floor(u * n) of the mulberry32 stream of the seed", () => {
    const draw = seededIntegers(99);
    const uniform = createUniformStream(99);
    expect(Array.from({ length: 6 }, () => draw(1000))).toEqual(Array.from({ length: 6 }, () => Math.floor(uniform() * 1000)));
  });

  it('is reproducible per seed and roughly uniform', () => {
    const a = seededIntegers(123);
    const b = seededIntegers(123);
    const counts = new Array(10).fill(0);
    let mismatches = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = a(10);
      if (x !== b(10)) mismatches++;
      counts[x]++;
    }
    expect(mismatches).toBe(0);
    // Binomial(1e5, 0.1): std 95; 6 std bounds.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(600);
    const c = seededIntegers(124);
    const d = seededIntegers(123);
    expect(Array.from({ length: 20 }, () => c(1000))).not.toEqual(Array.from({ length: 20 }, () => d(1000)));
  });
});

describe('bootstrapInterval', () => {
  const trials = [0.948, 0.951, 0.944, 0.953, 0.946];

  it('is reproducible with a seed and changes with another seed', () => {
    const one = bootstrapInterval(trials, { seed: 1 });
    expect(bootstrapInterval(trials, { seed: 1 })).toEqual(one);
    // Five trials allow few distinct resampled means, so two seeds may agree; 30 trials do not.
    const many = Array.from({ length: 30 }, (_, i) => 0.9 + ((i * 7919) % 31) / 1000);
    expect(bootstrapInterval(many, { seed: 2 })).not.toEqual(bootstrapInterval(many, { seed: 1 }));
    expect(one.level).toBe(0.95);
  });

  it('brackets the mean inside the range of the trials', () => {
    const { lower, upper } = bootstrapInterval(trials, { seed: 7 });
    const m = mean(trials);
    expect(lower).toBeLessThan(m);
    expect(upper).toBeGreaterThan(m);
    expect(lower).toBeGreaterThanOrEqual(Math.min(...trials));
    expect(upper).toBeLessThanOrEqual(Math.max(...trials));
  });

  it('matches the normal approximation for many trials', () => {
    // 400 trials, std s: the 95% interval of the mean is about mean +- 1.96 s / sqrt(400).
    const draw = seededIntegers(5);
    const values = Array.from({ length: 400 }, () => draw(1000) / 1000);
    const s = sampleStd(values);
    const { lower, upper } = bootstrapInterval(values, { seed: 3, resamples: 4000 });
    const halfWidth = (1.96 * s) / Math.sqrt(values.length);
    expect((upper - lower) / 2).toBeGreaterThan(0.9 * halfWidth);
    expect((upper - lower) / 2).toBeLessThan(1.1 * halfWidth);
    expect((upper + lower) / 2).toBeCloseTo(mean(values), 2);
  });

  test.prop([fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 12 }), fc.nat()], {
    numRuns: 100,
  })('lower <= upper, both within [min, max]', (values, seed) => {
    const { lower, upper } = bootstrapInterval(values, { seed, resamples: 200 });
    expect(lower).toBeLessThanOrEqual(upper);
    expect(lower).toBeGreaterThanOrEqual(Math.min(...values) - 1e-12);
    expect(upper).toBeLessThanOrEqual(Math.max(...values) + 1e-12);
  });

  it('collapses to the value for constant trials, and rejects bad options', () => {
    expect(bootstrapInterval([0.5, 0.5, 0.5])).toMatchObject({ lower: 0.5, upper: 0.5 });
    expect(() => bootstrapInterval(trials, { level: 95 })).toThrow(/level/);
    expect(() => bootstrapInterval(trials, { resamples: 0 })).toThrow(/resamples/);
    expect(() => bootstrapInterval([0.5])).toThrow(/at least 2/);
  });
});

describe('summarizeTrials and formatTableCell', () => {
  it('summarizes, with nulls for a single trial', () => {
    const s = summarizeTrials([0.9, 0.92, 0.94], { seed: 4 });
    expect(s.count).toBe(3);
    expect(s.mean).toBeCloseTo(0.92, 15);
    expect(s.std).toBeCloseTo(0.02, 15);
    expect(s.interval).toEqual(bootstrapInterval([0.9, 0.92, 0.94], { seed: 4 }));
    expect(summarizeTrials([0.7])).toEqual({ count: 1, mean: 0.7, std: null, interval: null });
  });

  it('formats the paper cells', () => {
    expect(formatTableCell([0.945, 0.948, 0.951])).toBe('94.8 +- 0.3');
    expect(formatTableCell({ mean: 0.987, std: 0.0012 }, { digits: 2, separator: ' ± ' })).toBe('98.70 ± 0.12');
    expect(formatTableCell([0.25, 0.75], { percent: false, digits: 3 })).toBe('0.500 +- 0.354');
    expect(formatTableCell([0.961])).toBe('96.1');
    expect(() => formatTableCell([0.5], { digits: -1 })).toThrow(/digits/);
  });
});
