/**
 * The fused kernels on tfjs' pure-JS cpu backend: one loop over each row for its dot products
 * (accumulated in float64), the per-row math of row-math.ts, and one loop writing the output row.
 */
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

import { distValues, expmap0Coefficients, mobiusAddCoefficients } from './row-math';

/** The fields of tfjs-backend-cpu 4.x's `MathBackendCPU` used here (structural: no import). */
interface CpuBackendLike {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

function values(backend: CpuBackendLike, info: TensorInfo): Float32Array {
  return backend.data.get(info.dataId).values as Float32Array;
}

function rowsAndDim(x: TensorInfo): [number, number] {
  const dim = x.shape[x.shape.length - 1]!;
  return [x.shape.reduce((p, s) => p * s, 1) / dim, dim];
}

/** |x_r|^2, |y_r|^2, <x_r, y_r>, |x_r - y_r|^2 for every row r, 4 per row. */
function pairDots(xv: Float32Array, yv: Float32Array, rows: number, dim: number): Float64Array {
  const dots = new Float64Array(rows * 4);
  for (let r = 0, at = 0; r < rows; r++, at += dim) {
    let x2 = 0;
    let y2 = 0;
    let xy = 0;
    let dd = 0;
    for (let i = at; i < at + dim; i++) {
      const a = xv[i]!;
      const b = yv[i]!;
      x2 += a * a;
      y2 += b * b;
      xy += a * b;
      dd += (a - b) * (a - b);
    }
    dots[4 * r] = x2;
    dots[4 * r + 1] = y2;
    dots[4 * r + 2] = xy;
    dots[4 * r + 3] = dd;
  }
  return dots;
}

export const cpuMobiusAdd: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, y, k } = inputs as Record<'x' | 'y' | 'k', TensorInfo>;
  const b = backend as unknown as CpuBackendLike;
  const [rows, dim] = rowsAndDim(x);
  const xv = values(b, x);
  const yv = values(b, y);
  const coef = new Float64Array(rows * 2);
  const project = Boolean((attrs as NamedAttrMap).project);
  mobiusAddCoefficients(pairDots(xv, yv, rows, dim), 0, coef, 0, rows, values(b, k)[0]!, project);
  const out = new Float32Array(rows * dim);
  for (let r = 0, at = 0; r < rows; r++, at += dim) {
    const a = coef[2 * r]!;
    const c = coef[2 * r + 1]!;
    for (let i = at; i < at + dim; i++) out[i] = a * xv[i]! + c * yv[i]!;
  }
  return b.makeTensorInfo([...x.shape], 'float32', out);
};

export const cpuDist: KernelFunc = ({ inputs, backend }) => {
  const { x, y, k } = inputs as Record<'x' | 'y' | 'k', TensorInfo>;
  const b = backend as unknown as CpuBackendLike;
  const [rows, dim] = rowsAndDim(x);
  const out = new Float32Array(rows);
  distValues(pairDots(values(b, x), values(b, y), rows, dim), 0, out, 0, rows, values(b, k)[0]!);
  return b.makeTensorInfo(x.shape.slice(0, -1), 'float32', out);
};

export const cpuExpmap0: KernelFunc = ({ inputs, backend, attrs }) => {
  const { u, k } = inputs as Record<'u' | 'k', TensorInfo>;
  const b = backend as unknown as CpuBackendLike;
  const [rows, dim] = rowsAndDim(u);
  const uv = values(b, u);
  const coef = new Float64Array(rows);
  for (let r = 0, at = 0; r < rows; r++, at += dim) {
    let s = 0;
    for (let i = at; i < at + dim; i++) s += uv[i]! * uv[i]!;
    coef[r] = s;
  }
  expmap0Coefficients(coef, 0, coef, 0, rows, values(b, k)[0]!, Boolean((attrs as NamedAttrMap).project));
  const out = new Float32Array(rows * dim);
  for (let r = 0, at = 0; r < rows; r++, at += dim) {
    const c = coef[r]!;
    for (let i = at; i < at + dim; i++) out[i] = c * uv[i]!;
  }
  return b.makeTensorInfo([...u.shape], 'float32', out);
};
