import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { CurvadRuntimeError } from '../../errors';
import { allocate, f32, release, transpose2d } from '../heap';
import { pointer, type SimdKernels, simdKernels } from '../simd/simd-module';
import type { WasmBackendInternals } from '../wasm-backend-internals';

/**
 * 3x3 stride-1 convolutions and their filter gradients by Winograd's minimal filtering F(m x m, 3x3)
 * (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016). Each m x m block of
 * outputs is A^T [(G g G^T) . (B^T d B)] A for the (m+2) x (m+2) input window d under it, so the
 * convolution becomes (m+2)^2 independent GEMMs [tiles, in] x [in, out], one per point of the
 * transform domain: F(2x2, 3x3) does 16 multiply-adds per 4 outputs and channel pair where the
 * direct sum does 36 (2.25x fewer), F(4x4, 3x3) 36 per 16 (4x fewer). The transforms
 * (kernels.wat `wino2_*`, `wino4_*`, generated straight-line SIMD over 4 channels) are cheap next
 * to the GEMMs, which run on our unpacked SIMD GEMM (unpacked-gemm.ts).
 *
 * Why: 128-bit wasm SIMD without fused multiply-add caps any direct convolution at a fraction of
 * what native code gets from the same core (see the runtime README); doing fewer multiply-adds is
 * the lever that is left.
 *
 * The filter gradient uses the same transforms: dU[e] = V[e]^T dM[e] summed over tiles, with
 * dM = A dy A^T, then dW = G^T dU G.
 *
 * Stride 2 (`wino2s_*`, `wino4s_*`): the 1-D stride-2 correlation y[i] = g0 d[2i] + g1 d[2i+1] +
 * g2 d[2i+2] is a 2-tap correlation of the even samples with (g0, g2), done by F(m, 2) on m + 1
 * points, plus g1 times the odd samples, done directly on m points; nested in 2-D, (2m + 1)^2 points
 * per m x m outputs: 25 per 4 (1.44x fewer multiply-adds than the direct 36) or 81 per 16 (1.78x
 * fewer than 144), from (2m + 1) x (2m + 1) input windows 2m pixels apart. The same bilinear form
 * gives the input gradient by transposition: dV[e] = dM[e] U[e]^T, then dx += B dV B^T over the
 * overlapping windows.
 *
 * Accuracy: F(2x2) only adds, subtracts and halves. F(4x4)'s transforms have coefficients up to 8
 * (and 1/24), which costs some float32 precision: the tests bound its error against the cpu
 * backend's direct sums at the same 1e-4 (relative to the largest output) as every other kernel.
 */

export interface WinogradVariant {
  /** Output tile size m. */
  tile: 2 | 4;
  /** The convolution's stride. */
  stride: 1 | 2;
  /** Points of the transform domain: (m + 2)^2 for stride 1, (2m + 1)^2 for stride 2. */
  points: number;
  input: SimdKernels['wino2_input'];
  /** The adjoint of `input` (stride 2 only: stride 1 computes input gradients as flipped convolutions). */
  inputGrad?: SimdKernels['wino2s_input_grad'];
  output: SimdKernels['wino2_output'];
  outputGrad: SimdKernels['wino2_output_grad'];
  filter: SimdKernels['wino2_filter'];
  filterGrad: SimdKernels['wino2_filter_grad'];
}

function variants(simd: SimdKernels): Record<1 | 2, Record<2 | 4, WinogradVariant>> {
  return { 1: strideOneVariants(simd), 2: strideTwoVariants(simd) };
}

function strideOneVariants(simd: SimdKernels): Record<2 | 4, WinogradVariant> {
  return {
    2: {
      tile: 2,
      stride: 1,
      points: 16,
      input: simd.wino2_input,
      output: simd.wino2_output,
      outputGrad: simd.wino2_output_grad,
      filter: simd.wino2_filter,
      filterGrad: simd.wino2_filter_grad,
    },
    4: {
      tile: 4,
      stride: 1,
      points: 36,
      input: simd.wino4_input,
      output: simd.wino4_output,
      outputGrad: simd.wino4_output_grad,
      filter: simd.wino4_filter,
      filterGrad: simd.wino4_filter_grad,
    },
  };
}

function strideTwoVariants(simd: SimdKernels): Record<2 | 4, WinogradVariant> {
  return {
    2: {
      tile: 2,
      stride: 2,
      points: 25,
      input: simd.wino2s_input,
      inputGrad: simd.wino2s_input_grad,
      output: simd.wino2s_output,
      outputGrad: simd.wino2s_output_grad,
      filter: simd.wino2s_filter,
      filterGrad: simd.wino2s_filter_grad,
    },
    4: {
      tile: 4,
      stride: 2,
      points: 81,
      input: simd.wino4s_input,
      inputGrad: simd.wino4s_input_grad,
      output: simd.wino4s_output,
      outputGrad: simd.wino4s_output_grad,
      filter: simd.wino4s_filter,
      filterGrad: simd.wino4s_filter_grad,
    },
  };
}

/** Bound on the transformed input and output of one chunk of images, in bytes. */
export const WINOGRAD_CHUNK_BYTES = 64 * 1024 * 1024;
/**
 * What a convolution (forward or input gradient) aims at per chunk: each chunk goes through the
 * input transform, the GEMMs and the output transform in turn, and at a few MB the transformed
 * data is still in cache for the next step. ResNet-18's 32x32x64 layers at batch 32, per call in
 * `tools/bench/train-throughput-profile.mjs --net resnet18`: forward 22.6 -> 19.3 ms, input
 * gradient 22.8 -> 19.3 ms against one 38 MB chunk (commits a092180 and a437448, 2026-12-04).
 * Filter gradients keep the whole bound: each chunk adds into the transformed filter gradient, which
 * is read and written again per chunk (at 4x4x512 that is 38 MB a chunk).
 */
export const CONVOLUTION_CHUNK_BYTES = 4 * 1024 * 1024;
/** Fewest tiles per chunk (unless chunkBytes forces fewer): GEMMs with fewer rows run slower. */
export const MIN_CHUNK_TILES = 256;
/**
 * The settings in force: the chunk bound (tests lower it to exercise chunking on small tensors), the
 * convolutions' chunk target and fewest tiles per chunk, and the tile sizes allowed (tests and
 * benchmarks pin one).
 */
export const winogradSettings: {
  chunkBytes: number;
  convolutionChunkBytes: number;
  minChunkTiles: number;
  tiles: readonly (2 | 4)[];
} = {
  chunkBytes: WINOGRAD_CHUNK_BYTES,
  convolutionChunkBytes: CONVOLUTION_CHUNK_BYTES,
  minChunkTiles: MIN_CHUNK_TILES,
  tiles: [2, 4],
};

/** Sets the tile sizes Winograd may use (registerWasmTrainingKernels' `winograd` option). */
export function setWinogradTiles(tiles: readonly unknown[]): void {
  if (!Array.isArray(tiles) || tiles.some((t) => t !== 2 && t !== 4)) {
    throw new CurvadRuntimeError(
      `winograd must be an array of Winograd tile sizes 2 and/or 4 (or [] for none), got ${JSON.stringify(tiles)}.`,
    );
  }
  winogradSettings.tiles = [...new Set(tiles as (2 | 4)[])];
}

/**
 * Fewer input channels than this keep the direct convolution: the transforms' cost per channel is
 * fixed while the GEMMs' shrinks with the channel count.
 */
export const MIN_CHANNELS = 16;

/**
 * The filter transform and the streaming of the transformed filter through the GEMMs cost about as
 * much as this many extra tiles per point. Measured on ResNet-18's 4x4x512 stage at batch 32 (128
 * F(2x2) tiles or 32 F(4x4) tiles per point): forward 27.1 ms with F(2x2), 19.6 ms with F(4x4), a
 * ratio of 0.72 that this cost puts at 0.75. It matters for small batches of small images, where
 * F(2x2)'s smaller transformed filter wins.
 */
const FILTER_COST_IN_TILES = 16;

/** GEMM work of a variant per channel pair, in tile rows x points. */
function cost(info: backend_util.Conv2DInfo, variant: WinogradVariant, use: WinogradUse): number {
  const tiles = info.batchSize * Math.ceil(info.outHeight / variant.tile) * Math.ceil(info.outWidth / variant.tile);
  return (tiles + (use === 'filter-gradient' ? 0 : FILTER_COST_IN_TILES)) * variant.points;
}

/**
 * What the plan is for: a convolution (forward, or a stride-1 input gradient as the flipped
 * convolution), a filter gradient, or a stride-2 input gradient (the transposed algorithm).
 */
export type WinogradUse = 'convolution' | 'filter-gradient' | 'input-gradient';

export interface WinogradPlan {
  simd: SimdKernels;
  variant: WinogradVariant;
}

/**
 * How Winograd computes `info`, or undefined when it does not apply (not 3x3 with stride 1 or 2 in
 * both directions, channels not in whole vectors, too few channels, no wasm SIMD; input gradients
 * only for stride 2, and with in-channels % 8 == 0 as their GEMMs' columns). Of the allowed tile sizes, the one with
 * the least work: F(4x4), unless the output has so few tiles that transforming the filter costs
 * more than F(4x4) saves, or its padding to whole 4x4 tiles wastes more than it saves.
 */
export function winogradFor(
  backend: WasmBackendInternals,
  info: backend_util.Conv2DInfo,
  use: WinogradUse = 'convolution',
): WinogradPlan | undefined {
  const stride = info.strideHeight;
  const gemmColumns = use === 'input-gradient' ? info.inChannels : info.outChannels;
  const fits =
    info.filterHeight === 3 &&
    info.filterWidth === 3 &&
    (stride === 1 || stride === 2) &&
    info.strideWidth === stride &&
    (use !== 'input-gradient' || stride === 2) &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.inChannels % 4 === 0 &&
    info.outChannels % 4 === 0 &&
    gemmColumns % 8 === 0 &&
    info.inChannels >= MIN_CHANNELS &&
    info.padInfo.top >= 0 &&
    info.padInfo.left >= 0 &&
    winogradSettings.tiles.length > 0;
  const simd = fits ? simdKernels(backend) : undefined;
  if (simd === undefined) return undefined;
  const all = variants(simd)[stride as 1 | 2];
  const best = winogradSettings.tiles.map((tile) => all[tile]).reduce((a, b) => (cost(info, b, use) < cost(info, a, use) ? b : a));
  return { simd, variant: best };
}

export interface Tiling {
  tilesH: number;
  tilesW: number;
  /** Images per chunk. */
  chunk: number;
}

/** Tiles per image and images per chunk for `info` under the settings in force. */
export function tiling(info: backend_util.Conv2DInfo, variant: WinogradVariant, use: WinogradUse): Tiling {
  const tilesH = Math.ceil(info.outHeight / variant.tile);
  const tilesW = Math.ceil(info.outWidth / variant.tile);
  const perImage = tilesH * tilesW * variant.points * (info.inChannels + info.outChannels) * 4;
  const { chunkBytes, convolutionChunkBytes, minChunkTiles } = winogradSettings;
  const target =
    use === 'filter-gradient'
      ? Number.POSITIVE_INFINITY
      : Math.max(Math.floor(convolutionChunkBytes / perImage), Math.ceil(minChunkTiles / (tilesH * tilesW)));
  const chunk = Math.max(1, Math.min(info.batchSize, Math.floor(chunkBytes / perImage), target));
  return { tilesH, tilesW, chunk };
}

/**
 * Floats from one transform-domain plane to the next for planes of `n` floats: n rounded up to whole
 * 64-byte lines, and to an odd number of lines. The transforms read or write all 16 or 36 planes at
 * once; plane strides that are multiples of 4 KiB (1 MB for a 512 x 512 filter) put all those streams
 * in the same L1 cache set, and with more streams than the cache has ways every access missed:
 * F(4x4)'s filter transform of a 512 x 512 filter took as long as its 36 GEMMs.
 */
export function planeStride(n: number): number {
  const lines = Math.ceil(n / 16);
  return (lines % 2 === 0 ? lines + 1 : lines) * 16;
}

/** A zeroed float32 buffer of `n` elements on the heap (the transforms' stand-in for padding). */
function zeros(backend: WasmBackendInternals, n: number): TensorInfo {
  const buffer = allocate(backend, [n]);
  f32(backend, buffer).fill(0);
  return buffer;
}

export interface WinogradEpilogue {
  /** A float32 tensor of outChannels values added to every output pixel. */
  bias?: TensorInfo;
  relu?: boolean;
}

/** y = conv2d(x, filter) (+ bias, relu) for a convolution `winogradFor` planned. */
export function winogradConv2d(
  plan: WinogradPlan,
  backend: WasmBackendInternals,
  x: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
  epilogue: WinogradEpilogue = {},
): TensorInfo {
  const { simd, variant } = plan;
  const { inChannels: ci, outChannels: co } = info;
  const { tilesH, tilesW, chunk } = tiling(info, variant, 'convolution');
  const points = variant.points;
  const y = allocate(backend, [info.batchSize, info.outHeight, info.outWidth, co]);
  const tilesMax = chunk * tilesH * tilesW;
  const [uStride, vStride, mStride] = [planeStride(ci * co), planeStride(tilesMax * ci), planeStride(tilesMax * co)];
  const u = allocate(backend, [points * uStride]);
  const v = allocate(backend, [points * vStride]);
  const m = allocate(backend, [points * mStride]);
  const zero = zeros(backend, ci);
  const trash = allocate(backend, [co]);
  const at = (t: TensorInfo) => pointer(backend, t.dataId);
  variant.filter(at(filter), at(u), ci * co, ci * co * 4, uStride * 4);
  const flags = (epilogue.bias !== undefined ? 1 : 0) | (epilogue.relu === true ? 2 : 0);
  const biasAt = epilogue.bias !== undefined ? at(epilogue.bias) : 0;
  for (let b0 = 0; b0 < info.batchSize; b0 += chunk) {
    const count = Math.min(chunk, info.batchSize - b0);
    const tiles = count * tilesH * tilesW;
    const { top, left } = info.padInfo;
    variant.input(at(x), at(v), b0, count, info.inHeight, info.inWidth, ci, tilesH, tilesW, top, left, at(zero), vStride * 4);
    for (let e = 0; e < points; e++) {
      simd.gemm_unpacked(at(v) + e * vStride * 4, ci * 4, 4, at(u) + e * uStride * 4, at(m) + e * mStride * 4, tiles, ci, co);
    }
    variant.output(at(m), at(y), b0, count, info.outHeight, info.outWidth, co, tilesH, tilesW, at(trash), biasAt, flags, mStride * 4);
  }
  release(backend, u, v, m, zero, trash);
  return y;
}

/** dW = Conv2DBackpropFilter(x, dy) for a convolution `winogradFor` planned. */
export function winogradFilterGradient(
  plan: WinogradPlan,
  backend: WasmBackendInternals,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { simd, variant } = plan;
  const { inChannels: ci, outChannels: co } = info;
  const { tilesH, tilesW, chunk } = tiling(info, variant, 'filter-gradient');
  const points = variant.points;
  const dw = allocate(backend, [3, 3, ci, co]);
  const tilesMax = chunk * tilesH * tilesW;
  const [uStride, vStride, mStride] = [planeStride(ci * co), planeStride(tilesMax * ci), planeStride(tilesMax * co)];
  const du = allocate(backend, [points * uStride]);
  const v = allocate(backend, [points * vStride]);
  const dm = allocate(backend, [points * mStride]);
  const zeroIn = zeros(backend, ci);
  const zeroOut = zeros(backend, co);
  const at = (t: TensorInfo) => pointer(backend, t.dataId);
  for (let b0 = 0; b0 < info.batchSize; b0 += chunk) {
    const count = Math.min(chunk, info.batchSize - b0);
    const tiles = count * tilesH * tilesW;
    const { top, left } = info.padInfo;
    variant.input(at(x), at(v), b0, count, info.inHeight, info.inWidth, ci, tilesH, tilesW, top, left, at(zeroIn), vStride * 4);
    variant.outputGrad(at(dy), at(dm), b0, count, info.outHeight, info.outWidth, co, tilesH, tilesW, at(zeroOut), mStride * 4);
    // dU[e] (+)= V[e]^T dM[e]: V[e] is [tiles, ci], read transposed in place; the first chunk
    // overwrites dU (zeroed plane by plane inside the GEMM, while it is in cache).
    const gemm = b0 === 0 ? simd.gemm_unpacked : simd.gemm_unpacked_add;
    for (let e = 0; e < points; e++) {
      gemm(at(v) + e * vStride * 4, 4, ci * 4, at(dm) + e * mStride * 4, at(du) + e * uStride * 4, ci, tiles, co);
    }
  }
  variant.filterGrad(at(du), at(dw), ci * co, uStride * 4, ci * co * 4);
  release(backend, du, v, dm, zeroIn, zeroOut);
  return dw;
}

/**
 * dx = Conv2DBackpropInput(dy, filter) for a stride-2 convolution `winogradFor(.., 'input-gradient')`
 * planned: the transposed algorithm, dV[e] = (A dy A^T)[e] U[e]^T with U from the filter transposed
 * per tap to [3, 3, out, in], then dx += B dV B^T window by window.
 */
export function winogradConv2dBackpropInput(
  plan: WinogradPlan,
  backend: WasmBackendInternals,
  dy: TensorInfo,
  filter: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { simd, variant } = plan;
  const inputGrad = variant.inputGrad;
  if (inputGrad === undefined)
    throw new CurvadRuntimeError(`Winograd tile ${variant.tile} at stride ${variant.stride} has no input gradient.`);
  const { inChannels: ci, outChannels: co } = info;
  const { tilesH, tilesW, chunk } = tiling(info, variant, 'input-gradient');
  const points = variant.points;
  const filterT = allocate(backend, [3, 3, co, ci]);
  const src = f32(backend, filter);
  const dst = f32(backend, filterT);
  for (let tap = 0; tap < 9; tap++) transpose2d(src, tap * ci * co, ci, co, dst, tap * ci * co);
  const dx = allocate(backend, [info.batchSize, info.inHeight, info.inWidth, ci]);
  f32(backend, dx).fill(0);
  const tilesMax = chunk * tilesH * tilesW;
  const [uStride, vStride, mStride] = [planeStride(ci * co), planeStride(tilesMax * ci), planeStride(tilesMax * co)];
  const u = allocate(backend, [points * uStride]);
  const dv = allocate(backend, [points * vStride]);
  const dm = allocate(backend, [points * mStride]);
  const zeroOut = zeros(backend, co);
  const trash = allocate(backend, [ci]);
  const at = (t: TensorInfo) => pointer(backend, t.dataId);
  variant.filter(at(filterT), at(u), ci * co, ci * co * 4, uStride * 4);
  for (let b0 = 0; b0 < info.batchSize; b0 += chunk) {
    const count = Math.min(chunk, info.batchSize - b0);
    const tiles = count * tilesH * tilesW;
    const { top, left } = info.padInfo;
    variant.outputGrad(at(dy), at(dm), b0, count, info.outHeight, info.outWidth, co, tilesH, tilesW, at(zeroOut), mStride * 4);
    for (let e = 0; e < points; e++) {
      simd.gemm_unpacked(at(dm) + e * mStride * 4, co * 4, 4, at(u) + e * uStride * 4, at(dv) + e * vStride * 4, tiles, co, ci);
    }
    inputGrad(at(dv), at(dx), b0, count, info.inHeight, info.inWidth, ci, tilesH, tilesW, top, left, at(trash), vStride * 4);
  }
  release(backend, filterT, u, dv, dm, zeroOut, trash);
  return dx;
}
