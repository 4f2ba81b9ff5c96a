// Bilinear resampling of HWC float images with half-pixel centres (PyTorch's
// interpolate(mode='bilinear', align_corners=False), no antialiasing): output pixel y samples the
// source at (y + 0.5) * in / out - 0.5, clamped to the border. Resizing to the same size is the
// identity, exactly.
import { DatasetError } from '../errors.js';
import type { HWC } from './augment.js';

/** A window of an image: top-left corner and size in pixels. */
export interface CropBox {
  top: number;
  left: number;
  height: number;
  width: number;
}

/** Source coordinate, lower index, upper index and weight of the upper one, for each output index. */
function axisSamples(inSize: number, outSize: number): { lo: Int32Array; hi: Int32Array; weight: Float64Array } {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const weight = new Float64Array(outSize);
  const step = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const s = Math.min(Math.max((o + 0.5) * step - 0.5, 0), inSize - 1);
    const l = Math.floor(s);
    lo[o] = l;
    hi[o] = Math.min(l + 1, inSize - 1);
    weight[o] = s - l;
  }
  return { lo, hi, weight };
}

/**
 * The window `box` of `image`, resized bilinearly to `outHeight` x `outWidth` (channels kept).
 * The window is treated as an image of its own: samples never reach outside it.
 */
export function cropAndResize(image: Float32Array, [h, w, c]: HWC, box: CropBox, outHeight: number, outWidth: number): Float32Array {
  const { top, left, height, width } = box;
  const valid = [top, left, height, width, outHeight, outWidth].every(Number.isInteger);
  if (!valid || top < 0 || left < 0 || height < 1 || width < 1 || top + height > h || left + width > w || outHeight < 1 || outWidth < 1) {
    throw new DatasetError(
      `cropAndResize: window (top ${top}, left ${left}, ${height}x${width}) to ${outHeight}x${outWidth} does not fit a ${h}x${w} image; give integer sizes >= 1 inside the image.`,
    );
  }
  if (image.length !== h * w * c) throw new DatasetError(`cropAndResize: the image has ${image.length} values, not ${h}x${w}x${c}.`);
  const ys = axisSamples(height, outHeight);
  const xs = axisSamples(width, outWidth);
  const out = new Float32Array(outHeight * outWidth * c);
  for (let y = 0; y < outHeight; y++) {
    const wy = ys.weight[y]!;
    const row0 = (top + ys.lo[y]!) * w;
    const row1 = (top + ys.hi[y]!) * w;
    for (let x = 0; x < outWidth; x++) {
      const wx = xs.weight[x]!;
      const c0 = left + xs.lo[x]!;
      const c1 = left + xs.hi[x]!;
      for (let ch = 0; ch < c; ch++) {
        const v00 = image[(row0 + c0) * c + ch]!;
        const v01 = image[(row0 + c1) * c + ch]!;
        const v10 = image[(row1 + c0) * c + ch]!;
        const v11 = image[(row1 + c1) * c + ch]!;
        const upper = v00 + (v01 - v00) * wx;
        const bottom = v10 + (v11 - v10) * wx;
        out[(y * outWidth + x) * c + ch] = upper + (bottom - upper) * wy;
      }
    }
  }
  return out;
}

/** The whole image resized bilinearly to `outHeight` x `outWidth`. */
export function resizeBilinear(image: Float32Array, shape: HWC, outHeight: number, outWidth: number): Float32Array {
  return cropAndResize(image, shape, { top: 0, left: 0, height: shape[0], width: shape[1] }, outHeight, outWidth);
}
