import { createUniformStream } from '@curvad/seeded-random';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { sortFloat32Valued, sortFloat64 } from './radix-sort';

/** Index of the first difference (Object.is, so -0 and +0 differ), or -1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe('sortFloat64', () => {
  it('matches the native sort on 20 000 mixed-sign doubles of very different magnitudes', () => {
    const u = createUniformStream(7);
    const keys = new Float64Array(20_000);
    for (let i = 0; i < keys.length; i++) {
      const kind = i % 5;
      keys[i] =
        kind === 0 ? (u() - 0.5) * 1e300 : kind === 1 ? (u() - 0.5) * 1e-300 : kind === 2 ? Math.round(u() * 10) - 5 : (u() - 0.5) * 3;
    }
    keys[3] = 5e-324; // smallest subnormal
    keys[4] = -5e-324;
    keys[5] = Number.MAX_VALUE;
    keys[6] = -Number.MAX_VALUE;
    const expected = keys.slice().sort();
    sortFloat64(keys);
    expect(firstDifference(keys, expected)).toBe(-1);
  });

  it('sorts float32-valued data (where whole digits are constant and their passes are skipped)', () => {
    const u = createUniformStream(3);
    const keys = new Float64Array(new Float32Array(Array.from({ length: 10_000 }, () => u())));
    const expected = keys.slice().sort();
    sortFloat64(keys);
    expect(firstDifference(keys, expected)).toBe(-1);
  });

  it('is stable and permutes the payload with the keys', () => {
    const u = createUniformStream(11);
    const n = 20_000;
    const original = Float64Array.from({ length: n }, () => Math.floor(u() * 50) - 25);
    const keys = original.slice();
    const payload = Uint32Array.from({ length: n }, (_, i) => i);
    sortFloat64(keys, payload);
    const problems: string[] = [];
    for (let k = 0; k < n; k++) {
      if (keys[k] !== original[payload[k]!]) problems.push(`payload ${k} does not follow its key`);
      if (k > 0 && keys[k - 1]! > keys[k]!) problems.push(`keys ${k - 1}, ${k} out of order`);
      if (k > 0 && keys[k - 1] === keys[k] && payload[k - 1]! > payload[k]!) problems.push(`tie at ${k} reordered`);
    }
    expect(problems).toEqual([]);
  });

  it('handles a subarray view with an offset', () => {
    const buffer = Float64Array.from({ length: 6000 }, (_, i) => (i * 7919) % 6000);
    const view = buffer.subarray(1000, 5000);
    const expected = view.slice().sort();
    sortFloat64(
      view,
      Uint32Array.from({ length: view.length }, (_, i) => i),
    );
    expect(firstDifference(view, expected)).toBe(-1);
    expect(buffer[0]).toBe(0);
  });

  test.prop([fc.array(fc.double({ noNaN: true }), { maxLength: 300 })], { numRuns: 200 })(
    'with a payload agrees with the native sort on arbitrary doubles (both zeros, infinities)',
    (values) => {
      const keys = Float64Array.from(values);
      const payload = Uint32Array.from({ length: keys.length }, (_, i) => i);
      sortFloat64(keys, payload);
      expect(Array.from(keys)).toEqual(Array.from(Float64Array.from(values).sort()));
      expect(Array.from(payload, (p) => values[p])).toEqual(Array.from(keys));
    },
  );
});

describe('sortFloat32Valued', () => {
  it('matches the native sort on 20 000 float32 values of every kind', () => {
    const u = createUniformStream(17);
    const keys = new Float64Array(
      Float32Array.from({ length: 20_000 }, (_, i) =>
        i % 4 === 0 ? (u() - 0.5) * 1e38 : i % 4 === 1 ? (u() - 0.5) * 1e-40 : i % 4 === 2 ? Math.round(u() * 8) - 4 : u() - 0.5,
      ),
    );
    keys[0] = -Infinity;
    keys[1] = Infinity;
    keys[2] = -0;
    keys[3] = 1.401298464324817e-45; // smallest float32 subnormal
    const expected = keys.slice().sort();
    sortFloat32Valued(keys);
    expect(firstDifference(keys, expected)).toBe(-1);
  });

  test.prop([fc.array(fc.float({ noNaN: true }), { minLength: 1, maxLength: 40 })], { numRuns: 50 })(
    'agrees with the native sort (inputs repeated past the radix threshold, so many ties)',
    (values) => {
      const keys = Float64Array.from({ length: 4200 }, (_, i) => values[i % values.length]!);
      const expected = keys.slice().sort();
      sortFloat32Valued(keys);
      expect(firstDifference(keys, expected)).toBe(-1);
    },
  );
});
