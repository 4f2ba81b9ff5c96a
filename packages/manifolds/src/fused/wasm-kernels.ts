/**
 * The fused kernels on tfjs-backend-wasm, on the backend's heap without copies (row-kernels.wat).
 * Rows go in blocks of about 256 KB per operand, so that a second pass finds its rows still in
 * cache: a SIMD pass computes the row statistics, then the float64 row coefficients (in wasm for
 * Moebius addition and for expmap0 with k <= 0, whose tanh comes from a wasm exp; in JS, row-math.ts,
 * where they need atan, log or tan: the distance, and expmap0 for k > 0), then a pass writes the
 * output rows.
 */
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

import { BALL_EPS, SERIES_THRESHOLD } from '../stereographic/constants';
import { type RowKernels, rowKernelsFor, type WasmBackendLike } from './row-kernels-instance';
import { distValues, expmap0Coefficients } from './row-math';

/**
 * Floats per operand and block: 256 KB, so x, y and the output block of a pass (768 KB) stay in L2
 * for the second pass. The fastest of the sizes tried on [65536, 64] rows (32 to 4096 rows per
 * block): smaller blocks pay for more calls, larger ones fall out of L2.
 */
const BLOCK_FLOATS = 65536;

interface Setup {
  backend: WasmBackendLike;
  kernels: RowKernels;
  rows: number;
  dim: number;
  block: number;
}

function setup(backend: unknown, x: TensorInfo): Setup {
  const b = backend as WasmBackendLike;
  const kernels = rowKernelsFor(b);
  if (!kernels) throw new Error('@curvad/manifolds: fused kernel called on a wasm backend without SIMD row kernels');
  const dim = x.shape[x.shape.length - 1]!;
  const rows = x.shape.reduce((p, s) => p * s, 1) / dim;
  return { backend: b, kernels, rows, dim, block: Math.max(1, Math.min(rows, Math.floor(BLOCK_FLOATS / dim))) };
}

function pointer(backend: WasmBackendLike, info: TensorInfo): number {
  return backend.dataIdMap.get(info.dataId)!.memoryOffset;
}

/** The scalar curvature; read after the kernel's last allocation (a heap growth detaches views). */
function curvature(backend: WasmBackendLike, heap: Float32Array, k: TensorInfo): number {
  return heap[pointer(backend, k) >> 2]!;
}

export const wasmMobiusAdd: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, y, k } = inputs as Record<'x' | 'y' | 'k', TensorInfo>;
  const s = setup(backend, x);
  const out = s.backend.makeOutput([...x.shape], 'float32');
  const scratch = s.backend.makeOutput([s.block * 6], 'float32');
  const kValue = curvature(s.backend, new Float32Array(s.kernels.memory.buffer), k);
  const clip = Boolean((attrs as NamedAttrMap).project) && kValue < 0;
  const maxNorm = clip ? (1 - BALL_EPS) / Math.sqrt(-kValue) : Infinity;
  const [xp, yp, op, sp] = [x, y, out, scratch].map((t) => pointer(s.backend, t)) as [number, number, number, number];
  const coefPtr = sp + 16 * s.block;
  for (let r0 = 0; r0 < s.rows; r0 += s.block) {
    const count = Math.min(s.block, s.rows - r0);
    const offset = r0 * s.dim * 4;
    s.kernels.pairStats(xp + offset, yp + offset, count, s.dim, sp);
    s.kernels.mobiusAddCoefficients(sp, count, kValue, maxNorm, coefPtr);
    s.kernels.combineRows(xp + offset, yp + offset, count, s.dim, coefPtr, op + offset);
  }
  s.backend.disposeData(scratch.dataId);
  return out;
};

export const wasmDist: KernelFunc = ({ inputs, backend }) => {
  const { x, y, k } = inputs as Record<'x' | 'y' | 'k', TensorInfo>;
  const s = setup(backend, x);
  const out = s.backend.makeOutput(x.shape.slice(0, -1), 'float32');
  const scratch = s.backend.makeOutput([s.block * 4], 'float32');
  const heap = new Float32Array(s.kernels.memory.buffer);
  const kValue = curvature(s.backend, heap, k);
  const [xp, yp, op, sp] = [x, y, out, scratch].map((t) => pointer(s.backend, t)) as [number, number, number, number];
  for (let r0 = 0; r0 < s.rows; r0 += s.block) {
    const count = Math.min(s.block, s.rows - r0);
    const offset = r0 * s.dim * 4;
    s.kernels.pairDots(xp + offset, yp + offset, count, s.dim, sp);
    distValues(heap, sp >> 2, heap, (op >> 2) + r0, count, kValue);
  }
  s.backend.disposeData(scratch.dataId);
  return out;
};

export const wasmExpmap0: KernelFunc = ({ inputs, backend, attrs }) => {
  const { u, k } = inputs as Record<'u' | 'k', TensorInfo>;
  const project = Boolean((attrs as NamedAttrMap).project);
  const s = setup(backend, u);
  const out = s.backend.makeOutput([...u.shape], 'float32');
  const scratch = s.backend.makeOutput([s.block], 'float32');
  const heap = new Float32Array(s.kernels.memory.buffer);
  const kValue = curvature(s.backend, heap, k);
  const [up, op, sp] = [u, out, scratch].map((t) => pointer(s.backend, t)) as [number, number, number];
  const tanhCap = project && kValue < 0 ? 1 - BALL_EPS : Infinity;
  for (let r0 = 0; r0 < s.rows; r0 += s.block) {
    const count = Math.min(s.block, s.rows - r0);
    const offset = r0 * s.dim * 4;
    s.kernels.rowSquares(up + offset, count, s.dim, sp);
    // The coefficients overwrite the squares they are computed from; k <= 0 in wasm, k > 0 (tan) in JS.
    if (kValue <= 0) s.kernels.expmap0BallCoefficients(sp, count, kValue, SERIES_THRESHOLD, tanhCap);
    else expmap0Coefficients(heap, sp >> 2, heap, sp >> 2, count, kValue, project);
    s.kernels.scaleRows(up + offset, count, s.dim, sp, op + offset);
  }
  s.backend.disposeData(scratch.dataId);
  return out;
};
