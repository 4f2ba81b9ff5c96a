import type { backend_util } from '@tensorflow/tfjs-core';
import { simdKernelsForView } from '../simd/simd-module';

/**
 * Patch matrices for convolution gradients as GEMMs (the lowering Caffe and PyTorch use on CPU).
 * Rows of a patch matrix are output pixels (b, oh, ow); columns are filter taps (kh, kw, ci), the
 * memory order of a [kh, kw, ci, co] filter, so that products come out in tfjs's layouts.
 */
type ConvInfo = backend_util.Conv2DInfo;

/** Bound on a patch matrix, in float32 elements (16 MB), so big batches are processed in chunks. */
export const MAX_PATCH_ELEMENTS = 4 * 1024 * 1024;

/** The bound in force (tests lower it to exercise chunking on small tensors). */
export const patchLimit = { elements: MAX_PATCH_ELEMENTS };

/** Images per chunk so that a chunk's patch matrix stays under the bound. */
export function imagesPerChunk(info: ConvInfo): number {
  const perImage = info.outHeight * info.outWidth * info.filterHeight * info.filterWidth * info.inChannels;
  return Math.max(1, Math.min(info.batchSize, Math.floor(patchLimit.elements / perImage)));
}

/**
 * Writes the transposed patch matrix of images [b0, b0 + count) into `out` ([taps, pixels]):
 * out[(kh, kw, ci), (b, oh, ow)] = x[b, oh*sh + kh*dh - top, ow*sw + kw*dw - left, ci], 0 in the padding.
 */
export function im2colTransposed(info: ConvInfo, x: Float32Array, b0: number, count: number, out: Float32Array): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const pixels = count * outHeight * outWidth;
  for (let kw = 0; kw < filterWidth; kw++) {
    // Output columns whose tap kw lands inside the image: [first, end); the rest read padding.
    const shift = kw * dilationWidth - left;
    const first = Math.min(outWidth, Math.max(0, Math.ceil(-shift / strideWidth)));
    const end = Math.max(first, Math.min(outWidth, Math.floor((inWidth - 1 - shift) / strideWidth) + 1));
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let ci = 0; ci < inChannels; ci++) {
        const row = ((kh * filterWidth + kw) * inChannels + ci) * pixels;
        let col = row;
        for (let b = b0; b < b0 + count; b++) {
          for (let oh = 0; oh < outHeight; oh++, col += outWidth) {
            const ih = oh * strideHeight + kh * dilationHeight - top;
            if (ih < 0 || ih >= inHeight) {
              out.fill(0, col, col + outWidth);
              continue;
            }
            if (first > 0) out.fill(0, col, col + first);
            if (end < outWidth) out.fill(0, col + end, col + outWidth);
            let src = ((b * inHeight + ih) * inWidth + first * strideWidth + shift) * inChannels + ci;
            const srcStep = strideWidth * inChannels;
            for (let ow = first; ow < end; ow++, src += srcStep) out[col + ow] = x[src]!;
          }
        }
      }
    }
  }
}

/**
 * Runs im2col (mode 0) or col2imAdd (mode 1) in our SIMD module when the channel runs are whole
 * vectors and both arrays are views of the heap it is bound to; false otherwise.
 */
function patchesSimd(info: ConvInfo, x: Float32Array, cols: Float32Array, b0: number, count: number, mode: 0 | 1): boolean {
  if (info.inChannels % 4 !== 0 || x.buffer !== cols.buffer) return false;
  const simd = simdKernelsForView(x);
  if (simd === undefined) return false;
  simd.patches(
    x.byteOffset,
    cols.byteOffset,
    b0,
    count,
    mode,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
  );
  return true;
}

/**
 * Writes the patch matrix of images [b0, b0 + count) into `out` ([pixels, taps]): each row holds,
 * for one output pixel, the input values under every tap (runs of `inChannels`), 0 in the padding.
 */
export function im2col(info: ConvInfo, x: Float32Array, b0: number, count: number, out: Float32Array): void {
  if (patchesSimd(info, x, out, b0, count, 0)) return;
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  let dst = 0;
  for (let b = b0; b < b0 + count; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight + kh * dilationHeight - top;
          for (let kw = 0; kw < filterWidth; kw++, dst += inChannels) {
            const iw = ow * strideWidth + kw * dilationWidth - left;
            if (ih < 0 || ih >= inHeight || iw < 0 || iw >= inWidth) {
              out.fill(0, dst, dst + inChannels);
              continue;
            }
            const src = ((b * inHeight + ih) * inWidth + iw) * inChannels;
            for (let ci = 0; ci < inChannels; ci++) out[dst + ci] = x[src + ci]!;
          }
        }
      }
    }
  }
}

/**
 * Adds a patch-gradient matrix of images [b0, b0 + count) ([pixels, taps]) back onto the image
 * gradient `dx`: the adjoint of im2col (each tap's value goes to the pixel it was read from).
 */
export function col2imAdd(info: ConvInfo, cols: Float32Array, b0: number, count: number, dx: Float32Array): void {
  if (patchesSimd(info, dx, cols, b0, count, 1)) return;
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const taps = filterHeight * filterWidth * inChannels;
  let rowOffset = 0;
  for (let b = b0; b < b0 + count; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++, rowOffset += taps) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight + kh * dilationHeight - top;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth + kw * dilationWidth - left;
            if (iw < 0 || iw >= inWidth) continue;
            const dst = ((b * inHeight + ih) * inWidth + iw) * inChannels;
            const src = rowOffset + (kh * filterWidth + kw) * inChannels;
            for (let ci = 0; ci < inChannels; ci++) dx[dst + ci] += cols[src + ci]!;
          }
        }
      }
    }
  }
}
