import { type KernelConfig, type KernelFunc, type TensorInfo, Tile, type TileAttrs, util } from '@tensorflow/tfjs-core';
import { allocate } from '../heap';
import { runOriginalKernel } from '../original-kernels';
import type { WasmBackendInternals } from '../wasm-backend-internals';

type Heap = Float32Array | Int32Array | Uint8Array;

/** Copies dst[start, start + length) `times - 1` more times right after itself, doubling each pass. */
function repeatBlock(dst: Heap, start: number, length: number, times: number): void {
  let filled = length;
  const total = length * times;
  while (filled < total) {
    const chunk = Math.min(filled, total - filled);
    dst.copyWithin(start + filled, start, start + chunk);
    filled += chunk;
  }
}

/**
 * Tile for wasm in JS. Batch-norm gradients tile per-channel vectors over whole activations
 * (tfjs-core's FusedBatchNorm gradient), and tfjs-backend-wasm 4.22's Tile computes every output
 * index from scratch, ~40x slower than block copies. Here axis by axis (innermost first within
 * each block) the input is laid out once and each finished block is repeated with copyWithin.
 */
function tile(args: { inputs: { x: TensorInfo }; backend: WasmBackendInternals; attrs: TileAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const { reps } = attrs;
  if (x.dtype === 'string' || x.dtype === 'complex64' || x.shape.length === 0) {
    return runOriginalKernel(Tile, backend, inputs, { ...attrs });
  }
  const shape = x.shape;
  const rank = shape.length;
  const outShape = shape.map((d, i) => d * reps[i]!);
  const out = allocate(backend, outShape, x.dtype);
  if (util.sizeFromShape(outShape) === 0) return out;
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const inStrides = new Array<number>(rank).fill(1);
  const outStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) {
    inStrides[i] = inStrides[i + 1]! * shape[i + 1]!;
    outStrides[i] = outStrides[i + 1]! * outShape[i + 1]!;
  }
  const layOut = (axis: number, srcOffset: number, dstOffset: number): void => {
    const size = shape[axis]!;
    if (axis === rank - 1) {
      if (size === 1) dst.fill(src[srcOffset]!, dstOffset, dstOffset + reps[axis]!);
      else {
        dst.set(src.subarray(srcOffset, srcOffset + size), dstOffset);
        repeatBlock(dst, dstOffset, size, reps[axis]!);
      }
      return;
    }
    for (let i = 0; i < size; i++) layOut(axis + 1, srcOffset + i * inStrides[axis]!, dstOffset + i * outStrides[axis]!);
    repeatBlock(dst, dstOffset, size * outStrides[axis]!, reps[axis]!);
  };
  layOut(0, 0, 0);
  return out;
}

export const tileConfig: KernelConfig = {
  kernelName: Tile,
  backendName: 'wasm',
  kernelFunc: tile as unknown as KernelFunc,
};
