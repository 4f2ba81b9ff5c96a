/**
 * The per-row scalar part of the fused kernels (fused-ops.ts), in float64: from a row's squared
 * norms and dot products to the coefficients of the output row or to its distance. Each function
 * evaluates the same formula, series, clamps and floors as the tensor code in
 * stereographic/math.ts and curvature-trig.ts (see there for the derivations); only the
 * arithmetic is float64 instead of float32.
 */
import { ARTANH_MAX, BALL_EPS, MIN_DENOMINATOR, MIN_SQ_NORM, SERIES_THRESHOLD } from '../stereographic/constants';

/** Row data: views of the wasm heap (float32) or the cpu kernels' own arrays. */
export type Floats = Float32Array | Float64Array;

/** tan_k(r) / r as a function of z = k r^2 (curvature-trig.ts' tanScale). */
export function tanScale64(z: number): number {
  const absZ = Math.abs(z);
  if (absZ < SERIES_THRESHOLD) return 1 + z * (1 / 3 + z * (2 / 15 + z * (17 / 315)));
  const a = Math.sqrt(absZ);
  if (z > 0) return Math.tan(a) / a;
  // tanh(a) = (1 - e^-2a) / (1 + e^-2a): a >= 0.1 here, so 1 - e^-2a >= 0.18 keeps float64 digits.
  const e = Math.exp(-2 * a);
  return (1 - e) / ((1 + e) * a);
}

/** artan_k(r) / r at z = k r^2, given an accurate 1 + z (curvature-trig.ts' artanScaleWithComplement). */
export function artanScaleWithComplement64(z: number, onePlusZ: number): number {
  const absZ = Math.abs(z);
  if (absZ < SERIES_THRESHOLD) return 1 + z * (-1 / 3 + z * (1 / 5 + z * (-1 / 7)));
  const a = Math.sqrt(absZ);
  if (z > 0) return Math.atan(a) / a;
  const c = Math.min(a, ARTANH_MAX);
  return (Math.log1p(c) - 0.5 * Math.log(Math.max(onePlusZ, MIN_DENOMINATOR))) / a;
}

/** Largest norm `project` lets a point have for k < 0: (1 - BALL_EPS) / sqrt(-k). */
function ballMaxNorm(k: number): number {
  return (1 - BALL_EPS) / Math.sqrt(-k);
}

/** min(1, maxNorm / |v|) for a row of squared norm `sq` (math.ts' ballClipFactor). */
function clipFactor(sq: number, maxNorm: number): number {
  const norm = Math.sqrt(Math.max(sq, MIN_SQ_NORM));
  return norm > maxNorm ? maxNorm / norm : 1;
}

/**
 * Moebius addition x (+)_k y = a x + b y per row. Reads |x|^2, |y|^2, <x,y> from
 * `dots[dotsAt + 4i ..]` and writes a, b to `coef[coefAt + 2i ..]`; with `project` and k < 0 both are
 * scaled so that the row lands within the ball's float32-safe radius (the output norm is known from
 * the dots: |a x + b y|^2 = a^2 |x|^2 + 2ab <x,y> + b^2 |y|^2).
 */
export function mobiusAddCoefficients(
  dots: Floats,
  dotsAt: number,
  coef: Floats,
  coefAt: number,
  count: number,
  k: number,
  project: boolean,
): void {
  const clip = project && k < 0;
  const maxNorm = clip ? ballMaxNorm(k) : Infinity;
  const k2 = k * k;
  for (let i = 0; i < count; i++) {
    const x2 = dots[dotsAt + 4 * i]!;
    const y2 = dots[dotsAt + 4 * i + 1]!;
    const xy = dots[dotsAt + 4 * i + 2]!;
    const first = 1 - k * xy;
    const den = Math.max(first * first + k2 * Math.max(x2 * y2 - xy * xy, 0), MIN_DENOMINATOR);
    let a = (1 - 2 * k * xy - k * y2) / den;
    let b = (1 + k * x2) / den;
    if (clip) {
      const f = clipFactor(a * a * x2 + 2 * a * b * xy + b * b * y2, maxNorm);
      a *= f;
      b *= f;
    }
    coef[coefAt + 2 * i] = a;
    coef[coefAt + 2 * i + 1] = b;
  }
}

/**
 * Geodesic distance 2 artan_k(|(-x) (+) y|) per row, with |(-x) (+) y| = |x - y| / sqrt(D),
 * D = 1 + 2k<x,y> + k^2 |x|^2 |y|^2 (math.ts' dist). Reads |x|^2, |y|^2, <x,y>, |x - y|^2 from
 * `dots[dotsAt + 4i ..]`, writes the distances to `out[outAt + i]`.
 */
export function distValues(dots: Floats, dotsAt: number, out: Floats, outAt: number, count: number, k: number): void {
  const k2 = k * k;
  for (let i = 0; i < count; i++) {
    const x2 = dots[dotsAt + 4 * i]!;
    const y2 = dots[dotsAt + 4 * i + 1]!;
    const xy = dots[dotsAt + 4 * i + 2]!;
    const diffNorm = Math.sqrt(Math.max(dots[dotsAt + 4 * i + 3]!, MIN_SQ_NORM));
    const first = 1 + k * xy;
    const den = Math.max(first * first + k2 * Math.max(x2 * y2 - xy * xy, 0), MIN_DENOMINATOR);
    const s = diffNorm / Math.sqrt(den);
    const complement = ((1 + k * x2) * (1 + k * y2)) / den;
    out[outAt + i] = 2 * s * artanScaleWithComplement64(k * s * s, complement);
  }
}

/**
 * expmap0(u) = c u per row with c = tan_k(|u|) / |u| (math.ts' expmap0Projected): reads |u|^2 from
 * `squares[at + i]`, writes c to `coef[at + i]`; with `project` and k < 0, c also pulls the row
 * within the ball's float32-safe radius.
 */
export function expmap0Coefficients(
  squares: Floats,
  squaresAt: number,
  coef: Floats,
  coefAt: number,
  count: number,
  k: number,
  project: boolean,
): void {
  const clip = project && k < 0;
  const maxNorm = clip ? ballMaxNorm(k) : Infinity;
  for (let i = 0; i < count; i++) {
    const u2 = squares[squaresAt + i]!;
    let c = tanScale64(k * u2);
    if (clip) c *= clipFactor(c * c * u2, maxNorm);
    coef[coefAt + i] = c;
  }
}
