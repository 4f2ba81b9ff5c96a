import { describe, expect, it } from 'vitest';
import { choleskyLower, invertLowerTriangular } from './cholesky';
import { AnomalyScoreError } from './errors';
import { seededRandom } from './test-utils';

function randomSpd(n: number, seed: number): Float64Array {
  const rand = seededRandom(seed);
  const b = Array.from({ length: n * n }, () => rand() - 0.5);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? 0.1 : 0;
      for (let p = 0; p < n; p++) s += b[i * n + p]! * b[j * n + p]!;
      a[i * n + j] = s;
    }
  return a;
}

const matmul = (x: Float64Array, y: Float64Array, n: number, transposeY = false) => {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += x[i * n + p]! * (transposeY ? y[j * n + p]! : y[p * n + j]!);
      out[i * n + j] = s;
    }
  return out;
};

describe('choleskyLower / invertLowerTriangular (float64)', () => {
  it.each([1, 2, 7, 40])('L L^T = A and L^{-1} L = I for n = %i', (n) => {
    const a = randomSpd(n, n);
    const l = choleskyLower(a, n);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(0);
    const llt = matmul(l, l, n, true);
    llt.forEach((v, i) => {
      expect(Math.abs(v - a[i]!)).toBeLessThan(1e-12);
    });
    const inv = invertLowerTriangular(l, n);
    const eye = matmul(inv, l, n);
    eye.forEach((v, i) => {
      expect(Math.abs(v - (i % (n + 1) === 0 ? 1 : 0))).toBeLessThan(1e-10);
    });
  });

  it('the 2 x 2 closed form', () => {
    const l = choleskyLower(new Float64Array([4, 2, 2, 5]), 2);
    expect(Array.from(l)).toEqual([2, 0, 1, 2]);
    expect(Array.from(invertLowerTriangular(l, 2))).toEqual([0.5, 0, -0.25, 0.5]);
  });

  it('rejects a matrix that is not positive definite', () => {
    expect(() => choleskyLower(new Float64Array([1, 2, 2, 1]), 2)).toThrow(AnomalyScoreError);
    expect(() => choleskyLower(new Float64Array([1, 1, 1, 1]), 2)).toThrow(/ridge/);
  });
});
