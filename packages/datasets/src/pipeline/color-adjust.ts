// torchvision's colour adjustments (transforms.functional_tensor) on HWC float images with values in
// [0, maxValue]: each blends the image with a reference and clamps to [0, maxValue].
// - brightness f: f * x (blend with black)
// - contrast f:   f * x + (1 - f) * mean grey level of the image
// - saturation f: f * x + (1 - f) * the pixel's grey level (RGB only)
// - hue shift d in [-0.5, 0.5]: rotate the hue in HSV by d turns (RGB only)
// Grey levels use ITU-R 601-2 luma (0.2989, 0.587, 0.114), as torchvision's rgb_to_grayscale.
import { DatasetError } from '../errors.js';
import type { HWC } from './augment.js';

/** ITU-R 601-2 luma weights of R, G, B (torchvision, PIL's "L" mode). */
export const LUMA_WEIGHTS: readonly [number, number, number] = [0.2989, 0.587, 0.114];

const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);

function checkChannels(c: number, fn: string, rgbOnly: boolean): void {
  if (rgbOnly ? c !== 3 : c !== 1 && c !== 3) {
    throw new DatasetError(
      `${fn}: the image has ${c} channels; ${rgbOnly ? 'this adjustment needs RGB (3 channels)' : 'colour adjustments take grey (1) or RGB (3) images'}.`,
    );
  }
}

/** Grey level of pixel p of an RGB image. */
function luma(image: Float32Array, p: number): number {
  return LUMA_WEIGHTS[0] * image[3 * p]! + LUMA_WEIGHTS[1] * image[3 * p + 1]! + LUMA_WEIGHTS[2] * image[3 * p + 2]!;
}

/** x -> clamp(f * x + (1 - f) * ref(x)) for every value; `ref` gets the value index. */
function blend(image: Float32Array, f: number, ref: (i: number) => number, maxValue: number): Float32Array {
  const out = new Float32Array(image.length);
  for (let i = 0; i < image.length; i++) out[i] = clamp(f * image[i]! + (1 - f) * ref(i), maxValue);
  return out;
}

export function adjustBrightness(image: Float32Array, [, , c]: HWC, factor: number, maxValue = 1): Float32Array {
  checkChannels(c, 'adjustBrightness', false);
  return blend(image, factor, () => 0, maxValue);
}

export function adjustContrast(image: Float32Array, [h, w, c]: HWC, factor: number, maxValue = 1): Float32Array {
  checkChannels(c, 'adjustContrast', false);
  let sum = 0;
  const pixels = h * w;
  for (let p = 0; p < pixels; p++) sum += c === 3 ? luma(image, p) : image[p]!;
  const mean = sum / pixels;
  return blend(image, factor, () => mean, maxValue);
}

export function adjustSaturation(image: Float32Array, [, , c]: HWC, factor: number, maxValue = 1): Float32Array {
  checkChannels(c, 'adjustSaturation', true);
  return blend(image, factor, (i) => luma(image, Math.floor(i / 3)), maxValue);
}

/** RGB (each in [0, 1]) to HSV (h in [0, 1) turns), torchvision's _rgb2hsv. */
function rgbToHsv(r: number, g: number, b: number): [number, number, number] {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const chroma = max - min;
  if (chroma === 0) return [0, 0, max];
  const s = chroma / max;
  let h: number;
  if (max === r) h = (g - b) / chroma;
  else if (max === g) h = 2 + (b - r) / chroma;
  else h = 4 + (r - g) / chroma;
  return [(((h / 6) % 1) + 1) % 1, s, max];
}

/** HSV to RGB, torchvision's _hsv2rgb. */
function hsvToRgb(h: number, s: number, v: number): [number, number, number] {
  const sector = Math.floor(h * 6);
  const f = h * 6 - sector;
  const p = clamp(v * (1 - s), 1);
  const q = clamp(v * (1 - s * f), 1);
  const t = clamp(v * (1 - s * (1 - f)), 1);
  switch (((sector % 6) + 6) % 6) {
    case 0:
      return [v, t, p];
    case 1:
      return [q, v, p];
    case 2:
      return [p, v, t];
    case 3:
      return [p, q, v];
    case 4:
      return [t, p, v];
    default:
      return [v, p, q];
  }
}

/** Rotates every pixel's hue by `shift` turns (in [-0.5, 0.5]). */
export function adjustHue(image: Float32Array, [, , c]: HWC, shift: number, maxValue = 1): Float32Array {
  checkChannels(c, 'adjustHue', true);
  if (!(shift >= -0.5 && shift <= 0.5)) throw new DatasetError(`adjustHue: the shift must lie in [-0.5, 0.5] turns, got ${shift}.`);
  const out = new Float32Array(image.length);
  for (let p = 0; p < image.length / 3; p++) {
    const [h, s, v] = rgbToHsv(image[3 * p]! / maxValue, image[3 * p + 1]! / maxValue, image[3 * p + 2]! / maxValue);
    const rgb = hsvToRgb((((h + shift) % 1) + 1) % 1, s, v);
    for (let ch = 0; ch < 3; ch++) out[3 * p + ch] = clamp(rgb[ch]! * maxValue, maxValue);
  }
  return out;
}

/** The RGB image as grey levels, kept in 3 equal channels (torchvision's Grayscale(3)). */
export function toGrayscale(image: Float32Array, [h, w, c]: HWC): Float32Array {
  checkChannels(c, 'toGrayscale', true);
  const out = new Float32Array(h * w * 3);
  for (let p = 0; p < h * w; p++) out.fill(luma(image, p), 3 * p, 3 * p + 3);
  return out;
}
