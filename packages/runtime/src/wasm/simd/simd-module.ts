import { embeddedWasmModule } from '@curvad/wat-embed/instance';

import type { WasmBackendInternals } from '../wasm-backend-internals';
import { KERNELS_WASM_BASE64 } from './kernels-wasm';

/**
 * Our hand-written SIMD loops (kernels.wat), instantiated on tfjs-backend-wasm's own memory so they
 * work on tensors in place (by the instantiation helper the SIMD packages share,
 * @curvad/wat-embed/instance, bundled into the build). Pointers are byte offsets into that heap
 * (`memoryOffset` of a tensor).
 */
export interface SimdKernels {
  /** dst[j] = sum of rows r < rows of src[r * inner + j] (float32 sums). */
  column_sums(src: number, rows: number, inner: number, dst: number): void;
  /**
   * Max-pool gradient into a zeroed dx, or (overwrite 1, windows tiling the input exactly) into
   * any dx; channels % 4 == 0; see kernels.wat for `geometry`.
   */
  max_pool_grad(x: number, dy: number, dx: number, taps: number, geometry: number, overwrite: 0 | 1): void;
  /** The [rows4, cols4] corner of a [rows, cols] matrix, transposed into a [cols, rows] one. */
  transpose_blocks(src: number, rows: number, cols: number, dst: number, rows4: number, cols4: number): void;
  /** im2col (mode 0) or col2im-add (mode 1) of images [b0, b0 + count); channels % 4 == 0. */
  patches(
    x: number,
    cols: number,
    b0: number,
    count: number,
    mode: 0 | 1,
    inH: number,
    inW: number,
    channels: number,
    outH: number,
    outW: number,
    fh: number,
    fw: number,
    sh: number,
    sw: number,
    dh: number,
    dw: number,
    top: number,
    left: number,
  ): void;
  /**
   * c[m, n] = sum_p a(i, p) b[p, n], a(i, p) at a + i * aRowBytes + p * aColBytes (a [m, k] matrix
   * or the transpose of a [k, m] one); b row-major; n % 16 == 0; nothing packed.
   */
  gemm_unpacked(a: number, aRowBytes: number, aColBytes: number, b: number, c: number, m: number, k: number, n: number): void;
  /** gemm_unpacked adding the product to c (c += a x b). */
  gemm_unpacked_add(a: number, aRowBytes: number, aColBytes: number, b: number, c: number, m: number, k: number, n: number): void;
  /**
   * out = big OP small over `rows` rows of `width` floats (width % 4 == 0), small one row repeated on
   * every row; op 0 big + small, 1 big - small, 2 small - big, 3 big * small, 4 big / small, 5 small / big.
   */
  broadcast_op(op: BroadcastOp, big: number, small: number, out: number, rows: number, width: number): void;
  /**
   * out = (x - mean) * factor + offset over `rows` rows of `width` floats (width % 4 == 0), with
   * mean, factor and offset one row each, one after the other at `params`.
   */
  batch_norm(x: number, out: number, rows: number, width: number, params: number): void;
  /**
   * sumDy[c] = sum_r dy[r, c], sumDyXm[c] = sum_r dy[r, c] * (x[r, c] - mean[c]) over `rows` rows of
   * `width` floats (width % 4 == 0); both outputs are overwritten.
   */
  bn_grad_sums(dy: number, x: number, mean: number, rows: number, width: number, sumDy: number, sumDyXm: number): void;
  /** sums[c] = sum_r (x[r, c] - mean[c])^2 over `rows` rows of `width` floats (width % 4 == 0); sums overwritten. */
  centered_square_sums(x: number, mean: number, rows: number, width: number, sums: number): void;
  /**
   * out = dy * a + (x - mean) * b + c over `rows` rows of `width` floats (width % 16 == 0), with a,
   * mean, b and c one row each, one after the other at `params`.
   */
  bn_input_grad(dy: number, x: number, out: number, rows: number, width: number, params: number): void;
  /** out = dy * step(x) over n floats (n % 4 == 0), with tfjs' step: 1 for x > 0, 0 else, NaN for NaN. */
  relu_grad(dy: number, x: number, out: number, n: number): void;
  // Winograd F(2x2, 3x3) (wino2_*) and F(4x4, 3x3) (wino4_*) transforms; see kernels.wat and winograd.ts.
  wino2_input: WinogradInput;
  wino2_output: WinogradOutput;
  wino2_output_grad: WinogradOutputGrad;
  wino2_filter: WinogradFilter;
  wino2_filter_grad: WinogradFilter;
  wino4_input: WinogradInput;
  wino4_output: WinogradOutput;
  wino4_output_grad: WinogradOutputGrad;
  wino4_filter: WinogradFilter;
  wino4_filter_grad: WinogradFilter;
  // Their stride-2 counterparts (polyphase: F(m, 2) on even pixels, direct on odd), with the
  // adjoint of the input transform for the input gradient.
  wino2s_input: WinogradInput;
  wino2s_input_grad: WinogradInput;
  wino2s_output: WinogradOutput;
  wino2s_output_grad: WinogradOutputGrad;
  wino2s_filter: WinogradFilter;
  wino2s_filter_grad: WinogradFilter;
  wino4s_input: WinogradInput;
  wino4s_input_grad: WinogradInput;
  wino4s_output: WinogradOutput;
  wino4s_output_grad: WinogradOutputGrad;
  wino4s_filter: WinogradFilter;
  wino4s_filter_grad: WinogradFilter;
}

/** Operation codes of `broadcast_op`. */
export type BroadcastOp = 0 | 1 | 2 | 3 | 4 | 5;

/**
 * v [points][tiles][channels] (planes planeBytes apart) = B^T d B over the input windows of images
 * [b0, b0 + count); the `_input_grad` adjoints take (dv, dx, ..., trash, planeBytes) and add B dv B^T
 * into a zeroed dx.
 */
type WinogradInput = (
  x: number,
  v: number,
  b0: number,
  count: number,
  inH: number,
  inW: number,
  channels: number,
  tilesH: number,
  tilesW: number,
  top: number,
  left: number,
  zero: number,
  planeBytes: number,
) => void;
/** NHWC y = A^T m A per tile; epilogue bit 0 adds bias, bit 1 applies relu. */
type WinogradOutput = (
  m: number,
  y: number,
  b0: number,
  count: number,
  outH: number,
  outW: number,
  channels: number,
  tilesH: number,
  tilesW: number,
  trash: number,
  bias: number,
  epilogue: number,
  planeBytes: number,
) => void;
/** The adjoint of the output transform: dm [points][tiles][channels] from NHWC dy. */
type WinogradOutputGrad = (
  dy: number,
  dm: number,
  b0: number,
  count: number,
  outH: number,
  outW: number,
  channels: number,
  tilesH: number,
  tilesW: number,
  zero: number,
  planeBytes: number,
) => void;
/** u [points][n] = G g G^T of a [3, 3, n] filter (n % 4 == 0), or its adjoint (filter_grad). */
type WinogradFilter = (src: number, dst: number, n: number, srcPlaneBytes: number, dstPlaneBytes: number) => void;

const kernelsModule = embeddedWasmModule<SimdKernels>(KERNELS_WASM_BASE64);

/** The SIMD kernels bound to `backend`'s heap, or undefined when they cannot run here. */
export function simdKernels(backend: WasmBackendInternals): SimdKernels | undefined {
  return kernelsModule.instanceFor(backend.wasm?.asm?.memory) ?? undefined;
}

/** The SIMD kernels bound to the heap that `view` looks at, if they are running on it. */
export function simdKernelsForView(view: ArrayBufferView): SimdKernels | undefined {
  for (const [memory, kernels] of kernelsModule.bound()) if (memory.buffer === view.buffer) return kernels;
  return undefined;
}

/** Byte offset of a tensor's data in the wasm heap. */
export function pointer(backend: WasmBackendInternals, dataId: object): number {
  return backend.dataIdMap.get(dataId).memoryOffset;
}
