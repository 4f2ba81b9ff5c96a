import { type KernelConfig, type KernelFunc, type TensorInfo, Transpose, type TransposeAttrs, util } from '@tensorflow/tfjs-core';
import { allocate, transpose2d } from '../heap';
import { runOriginalKernel } from '../original-kernels';
import type { WasmBackendInternals } from '../wasm-backend-internals';

/**
 * Transpose for wasm. After merging axes that stay adjacent, a plain 2-D transpose is ~3x faster as
 * a tiled JS loop than in tfjs-backend-wasm 4.22 (measured in process CPU time on [100352, 32]);
 * every other permutation (batched 2-D, general) is faster in the backend and goes there.
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
  order.forEach((entry, newIndex) => {
    newIndexOfGroup[entry.i] = newIndex;
  });
  const collapsedShape = order.map(({ i }) => groups[i]!.reduce((size, axis) => size * shape[axis]!, 1));
  return { shape: collapsedShape, perm: groups.map((_, i) => newIndexOfGroup[i]!) };
}

function transpose(args: { inputs: { x: TensorInfo }; backend: WasmBackendInternals; attrs: TransposeAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (x.dtype === 'string' || x.dtype === 'complex64') return runOriginalKernel(Transpose, backend, inputs, { ...attrs });
  const { shape, perm } = collapsePermutation(x.shape, attrs.perm);
  if (perm.length !== 2 || util.sizeFromShape(x.shape) === 0) return runOriginalKernel(Transpose, backend, inputs, { ...attrs });
  const out = allocate(
    backend,
    attrs.perm.map((p) => x.shape[p]!),
    x.dtype,
  );
  transpose2d(backend.typedArrayFromHeap(x), 0, shape[0]!, shape[1]!, backend.typedArrayFromHeap(out), 0);
  return out;
}

export const transposeConfig: KernelConfig = {
  kernelName: Transpose,
  backendName: 'wasm',
  kernelFunc: transpose as unknown as KernelFunc,
};
