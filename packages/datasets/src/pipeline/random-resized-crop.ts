// torchvision's RandomResizedCrop (transforms.RandomResizedCrop.get_params), SimCLR's and CSI's
// main augmentation: a window of random area (a fraction in `scale` of the image) and aspect ratio
// (log-uniform in `ratio`, width / height), 10 attempts to fit it in the image, else the largest
// centred window whose aspect ratio lies in `ratio`; then bilinear resizing back to the image size
// (half-pixel centres, no antialiasing: see bilinear-resize.ts). Rounding is Python's round (half
// to even), as torchvision's int(round(...)).
import { DatasetError } from '../errors.js';
import type { Rng } from '../random.js';
import type { Augmentation } from './augment.js';
import { type CropBox, cropAndResize } from './bilinear-resize.js';

export interface RandomResizedCropOptions {
  /** Range of the window's area as a fraction of the image's. Default [0.08, 1] (torchvision, CSI). */
  scale?: readonly [number, number];
  /** Range of the window's aspect ratio width / height, drawn log-uniformly. Default [3/4, 4/3]. */
  ratio?: readonly [number, number];
}

/** Attempts at a random window before the centred fallback (torchvision). */
const CROP_ATTEMPTS = 10;
const DEFAULT_SCALE: readonly [number, number] = [0.08, 1];
const DEFAULT_RATIO: readonly [number, number] = [3 / 4, 4 / 3];

/** Python's round(): to the nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function checkRange(value: unknown, name: string, positive: boolean): readonly [number, number] {
  const ok =
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((v) => typeof v === 'number' && Number.isFinite(v) && (positive ? v > 0 : v >= 0)) &&
    value[0] <= value[1];
  if (!ok) {
    throw new DatasetError(
      `randomResizedCrop: ${name} must be [min, max] with ${positive ? '0 < min' : '0 <= min'} <= max, got ${JSON.stringify(value)}.`,
    );
  }
  return value as unknown as readonly [number, number];
}

/** The window torchvision's get_params draws for an h x w image. */
export function randomResizedCropBox(
  h: number,
  w: number,
  scale: readonly [number, number],
  ratio: readonly [number, number],
  rng: Rng,
): CropBox {
  const area = h * w;
  const [logLo, logHi] = [Math.log(ratio[0]), Math.log(ratio[1])];
  for (let attempt = 0; attempt < CROP_ATTEMPTS; attempt++) {
    const targetArea = area * (scale[0] + (scale[1] - scale[0]) * rng());
    const aspect = Math.exp(logLo + (logHi - logLo) * rng());
    const width = roundHalfEven(Math.sqrt(targetArea * aspect));
    const height = roundHalfEven(Math.sqrt(targetArea / aspect));
    if (width > 0 && width <= w && height > 0 && height <= h) {
      return { top: rng.int(h - height + 1), left: rng.int(w - width + 1), height, width };
    }
  }
  const inRatio = w / h;
  let [height, width] = [h, w];
  if (inRatio < ratio[0]) height = Math.max(1, Math.min(h, roundHalfEven(w / ratio[0])));
  else if (inRatio > ratio[1]) width = Math.max(1, Math.min(w, roundHalfEven(h * ratio[1])));
  return { top: Math.floor((h - height) / 2), left: Math.floor((w - width) / 2), height, width };
}

/** A random window of random area and aspect ratio, resized back to the image size (bilinear). */
export function randomResizedCrop(options: RandomResizedCropOptions = {}): Augmentation {
  const scale = checkRange(options.scale ?? DEFAULT_SCALE, 'scale', false);
  const ratio = checkRange(options.ratio ?? DEFAULT_RATIO, 'ratio', true);
  if (scale[1] <= 0) throw new DatasetError(`randomResizedCrop: scale must allow a window of positive area, got ${JSON.stringify(scale)}.`);
  return (image, shape, rng) =>
    cropAndResize(image, shape, randomResizedCropBox(shape[0], shape[1], scale, ratio, rng), shape[0], shape[1]);
}
