// Dense float64 Cholesky factorisation and triangular inverse for the Mahalanobis detector's
// tied covariance. Plain JS on row-major Float64Arrays: D is a feature dimension (a few hundred
// at most), so O(D^3) in float64 costs milliseconds to about a second and avoids the precision
// loss of inverting a covariance in float32.
import { AnomalyScoreError } from './errors';

/**
 * Lower-triangular L with L L^T = A for a symmetric positive-definite n x n matrix A (row-major;
 * only the lower triangle of A is read). Throws when A is not positive definite, naming the
 * pivot, so the caller can suggest a larger ridge.
 */
export function choleskyLower(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let diag = a[j * n + j]!;
    for (let p = 0; p < j; p++) diag -= l[j * n + p]! * l[j * n + p]!;
    if (!(diag > 0)) {
      throw new AnomalyScoreError(
        `the covariance is not positive definite (pivot ${j} is ${diag.toPrecision(3)}): some feature directions have ` +
          `no variance. Increase the ridge option (e.g. 1e-3), or remove constant features.`,
      );
    }
    const ljj = Math.sqrt(diag);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let p = 0; p < j; p++) s -= l[i * n + p]! * l[j * n + p]!;
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** Inverse of a lower-triangular n x n matrix (row-major), by forward substitution; lower-triangular too. */
export function invertLowerTriangular(l: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  for (let col = 0; col < n; col++) {
    inv[col * n + col] = 1 / l[col * n + col]!;
    for (let i = col + 1; i < n; i++) {
      let s = 0;
      for (let p = col; p < i; p++) s += l[i * n + p]! * inv[p * n + col]!;
      inv[i * n + col] = -s / l[i * n + i]!;
    }
  }
  return inv;
}
