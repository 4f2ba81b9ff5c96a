import { describe, expect, it } from 'vitest';
import { compileLoops, LANES, maddLoopWat, UNROLL } from '../simd-peak-loops.js';

/** The loop's result in float32 arithmetic: K chains acc = fround(fround(acc * m) + a), then the lane sum. */
function reference(accumulators: number, n: number, m: number, a: number): number {
  const f = Math.fround;
  const accs = Array.from({ length: accumulators }, (_, k) => f((k + 1) / 100));
  for (let i = 0; i < n * UNROLL; i++) for (let k = 0; k < accumulators; k++) accs[k] = f(f(accs[k]! * f(m)) + f(a));
  const vector = accs.reduce((sum, x) => f(sum + x));
  // Every lane holds the same value: (v + v) + (v + v).
  return f(f(vector + vector) + f(vector + vector));
}

describe('simd-peak loops', () => {
  it.each([8, 12, 16])('madd%i computes its multiply-add chains exactly as float32 does', async (k) => {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(await compileLoops(false, [k])));
    const madd = exports[`madd${k}`] as (n: number, m: number, a: number) => number;
    for (const n of [0, 1, 7, 1000]) expect(madd(n, 0.999, 0.001)).toBe(reference(k, n, 0.999, 0.001));
  });

  it('stays finite and converges to lanes x accumulators x a / (1 - m)', async () => {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(await compileLoops(false, [12])));
    const madd = exports.madd12 as (n: number, m: number, a: number) => number;
    expect(madd(100_000, 0.999, 0.001)).toBeCloseTo(LANES * 12, 2);
  });

  it('writes one update per accumulator and unrolled copy, fused only in the relaxed form', () => {
    const plain = maddLoopWat(12, false);
    const relaxed = maddLoopWat(12, true);
    expect(plain.match(/f32x4\.mul/g)).toHaveLength(12 * UNROLL);
    expect(plain).not.toContain('relaxed_madd');
    expect(relaxed.match(/f32x4\.relaxed_madd/g)).toHaveLength(12 * UNROLL);
  });
});
