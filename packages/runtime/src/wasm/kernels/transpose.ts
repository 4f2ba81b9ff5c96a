import { type KernelConfig, type KernelFunc, type TensorInfo, Transpose, type TransposeAttrs, util } from '@tensorflow/tfjs-core';
import { allocate, transpose2d } from '../heap';
import { runOriginalKernel } from '../original-kernels';
import type { WasmBackendInternals } from '../wasm-backend-internals';

/**
 * Transpose for wasm in JS (tfjs-backend-wasm 4.22's is ~8x slower than a tiled JS loop here).
 * Axes that stay adjacent are merged first, so most permutations become a batch of 2-D tiled
 * transposes; the rest take a general strided walk.
 */

/** Merges runs of axes that remain adjacent and in order under `perm`. */
export function collapsePermutation(shape: number[], perm: number[]): { shape: number[]; perm: number[] } {
  const groups: number[][] = [];
  for (const axis of perm) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last[last.length - 1] === axis - 1) last.push(axis);
    else groups.push([axis]);
  }
  // Sort groups by their first input axis to get the collapsed input shape.
  const order = groups.map((g, i) => ({ first: g[0]!, i })).sort((p, q) => p.first - q.first);
  const newIndexOfGroup = new Array<number>(groups.length);
  order.forEach((entry, newIndex) => (newIndexOfGroup[entry.i] = newIndex));
  const collapsedShape = order.map(({ i }) => groups[i]!.reduce((size, axis) => size * shape[axis]!, 1));
  return { shape: collapsedShape, perm: groups.map((_, i) => newIndexOfGroup[i]!) };
}

type Heap = Float32Array | Int32Array | Uint8Array;

function stridedTranspose(src: Heap, shape: number[], perm: number[], dst: Heap): void {
  const rank = shape.length;
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1]! * shape[i + 1]!;
  const outShape = perm.map((p) => shape[p]!);
  const step = perm.map((p) => inStrides[p]!);
  const index = new Array<number>(rank).fill(0);
  const innerSize = outShape[rank - 1]!;
  const innerStep = step[rank - 1]!;
  let srcBase = 0;
  for (let o = 0; o < dst.length; o += innerSize) {
    for (let j = 0, s = srcBase; j < innerSize; j++, s += innerStep) dst[o + j] = src[s]!;
    // Odometer over all but the last output axis.
    for (let d = rank - 2; d >= 0; d--) {
      index[d]!++;
      srcBase += step[d]!;
      if (index[d]! < outShape[d]!) break;
      srcBase -= step[d]! * outShape[d]!;
      index[d] = 0;
    }
  }
}

function transpose(args: { inputs: { x: TensorInfo }; backend: WasmBackendInternals; attrs: TransposeAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (x.dtype === 'string' || x.dtype === 'complex64') return runOriginalKernel(Transpose, backend, inputs, { ...attrs });
  const outShape = attrs.perm.map((p) => x.shape[p]!);
  const out = allocate(backend, outShape, x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const size = util.sizeFromShape(x.shape);
  if (size === 0) return out;
  const collapsed = collapsePermutation(x.shape, attrs.perm);
  const { shape, perm } = collapsed;
  if (perm.length === 1) {
    dst.set(src);
  } else if (perm.length === 2) {
    transpose2d(src, 0, shape[0]!, shape[1]!, dst, 0);
  } else if (perm.length === 3 && perm[0] === 0 && perm[1] === 2 && perm[2] === 1) {
    const block = shape[1]! * shape[2]!;
    for (let b = 0; b < shape[0]!; b++) transpose2d(src, b * block, shape[1]!, shape[2]!, dst, b * block);
  } else {
    stridedTranspose(src, shape, perm, dst);
  }
  return out;
}

export const transposeConfig: KernelConfig = {
  kernelName: Transpose,
  backendName: 'wasm',
  kernelFunc: transpose as unknown as KernelFunc,
};
