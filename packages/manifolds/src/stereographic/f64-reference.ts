/**
 * Float64 reference of the kappa-stereographic model in plain JS, written from the textbook closed
 * forms (tan / tanh / atan / artanh of sqrt|k| r, the Moebius formulas term by term), independently
 * of the float32 scale-function implementation in math.ts. Used by the tests only; not exported.
 */

export type Vec = number[];

export const dot = (a: Vec, b: Vec): number => a.reduce((s, v, i) => s + v * b[i]!, 0);
export const norm = (a: Vec): number => Math.sqrt(dot(a, a));
export const addV = (a: Vec, b: Vec): Vec => a.map((v, i) => v + b[i]!);
export const subV = (a: Vec, b: Vec): Vec => a.map((v, i) => v - b[i]!);
export const scaleV = (r: number, a: Vec): Vec => a.map((v) => r * v);
export const negV = (a: Vec): Vec => scaleV(-1, a);

export function tanK(r: number, k: number): number {
  if (k > 0) return Math.tan(Math.sqrt(k) * r) / Math.sqrt(k);
  if (k < 0) return Math.tanh(Math.sqrt(-k) * r) / Math.sqrt(-k);
  return r;
}

export function artanK(r: number, k: number): number {
  if (k > 0) return Math.atan(Math.sqrt(k) * r) / Math.sqrt(k);
  if (k < 0) return Math.atanh(Math.sqrt(-k) * r) / Math.sqrt(-k);
  return r;
}

export function sinK(r: number, k: number): number {
  if (k > 0) return Math.sin(Math.sqrt(k) * r) / Math.sqrt(k);
  if (k < 0) return Math.sinh(Math.sqrt(-k) * r) / Math.sqrt(-k);
  return r;
}

export function arsinK(r: number, k: number): number {
  if (k > 0) return Math.asin(Math.sqrt(k) * r) / Math.sqrt(k);
  if (k < 0) return Math.asinh(Math.sqrt(-k) * r) / Math.sqrt(-k);
  return r;
}

export function mobiusAdd(x: Vec, y: Vec, k: number): Vec {
  const xy = dot(x, y);
  const x2 = dot(x, x);
  const y2 = dot(y, y);
  const den = 1 - 2 * k * xy + k * k * x2 * y2;
  return addV(scaleV((1 - 2 * k * xy - k * y2) / den, x), scaleV((1 + k * x2) / den, y));
}

/** Direction x / |x|, and 0 for the zero vector. */
function unit(x: Vec): Vec {
  const n = norm(x);
  return n === 0 ? x.map(() => 0) : scaleV(1 / n, x);
}

export function mobiusScalarMul(r: number, x: Vec, k: number): Vec {
  return scaleV(tanK(r * artanK(norm(x), k), k), unit(x));
}

/** Row convention: (x . W)_j = sum_i x_i W[i][j]. */
export function matvec(x: Vec, w: number[][]): Vec {
  const out = w[0]!.map(() => 0);
  x.forEach((xi, i) => {
    w[i]!.forEach((wij, j) => {
      out[j]! += xi * wij;
    });
  });
  return out;
}

export function mobiusMatvec(x: Vec, w: number[][], k: number): Vec {
  const mx = matvec(x, w);
  const nx = norm(x);
  const nmx = norm(mx);
  if (nx === 0 || nmx === 0) return mx.map(() => 0);
  return scaleV(tanK((nmx / nx) * artanK(nx, k), k), unit(mx));
}

export const lambda = (x: Vec, k: number): number => 2 / (1 + k * dot(x, x));
export const expmap0 = (u: Vec, k: number): Vec => scaleV(tanK(norm(u), k), unit(u));
export const logmap0 = (y: Vec, k: number): Vec => scaleV(artanK(norm(y), k), unit(y));

export function expmap(x: Vec, u: Vec, k: number): Vec {
  return mobiusAdd(x, scaleV(tanK((lambda(x, k) * norm(u)) / 2, k), unit(u)), k);
}

export function logmap(x: Vec, y: Vec, k: number): Vec {
  const s = mobiusAdd(negV(x), y, k);
  return scaleV((2 / lambda(x, k)) * artanK(norm(s), k), unit(s));
}

export const dist = (x: Vec, y: Vec, k: number): number => 2 * artanK(norm(mobiusAdd(negV(x), y, k)), k);
export const dist0 = (x: Vec, k: number): number => 2 * artanK(norm(x), k);

/** gyr[u, v] w by its definition -(u (+) v) (+) (u (+) (v (+) w)). */
export function gyration(u: Vec, v: Vec, w: Vec, k: number): Vec {
  return mobiusAdd(negV(mobiusAdd(u, v, k)), mobiusAdd(u, mobiusAdd(v, w, k), k), k);
}

export function transp(x: Vec, y: Vec, v: Vec, k: number): Vec {
  return scaleV(lambda(x, k) / lambda(y, k), gyration(y, negV(x), v, k));
}

export const egrad2rgrad = (x: Vec, g: Vec, k: number): Vec => scaleV(1 / lambda(x, k) ** 2, g);
export const inner = (x: Vec, u: Vec, v: Vec, k: number): number => lambda(x, k) ** 2 * dot(u, v);

export function project(x: Vec, k: number, eps: number): Vec {
  if (k >= 0) return x;
  const maxNorm = (1 - eps) / Math.sqrt(-k);
  const n = norm(x);
  return n > maxNorm ? scaleV(maxNorm / n, x) : x;
}
