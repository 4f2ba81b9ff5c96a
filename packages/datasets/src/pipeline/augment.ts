import { DatasetError } from '../errors.js';
import type { Rng } from '../random.js';

/** [height, width, channels] of one image. */
export type HWC = [number, number, number];

/** An augmentation maps one HWC float image to a new one of the same shape, drawing from `rng`. */
export type Augmentation = (image: Float32Array, shape: HWC, rng: Rng) => Float32Array;

/**
 * Pads by `padding` pixels of `fill` on every side, then cuts a window of the original size at a
 * random offset (the standard CIFAR augmentation with padding 4).
 */
export function randomCropWithPadding(padding: number, fill = 0): Augmentation {
  if (!Number.isInteger(padding) || padding < 0)
    throw new DatasetError(`randomCropWithPadding: padding must be a non-negative integer, got ${padding}.`);
  return (image, [h, w, c], rng) => {
    const dy = rng.int(2 * padding + 1) - padding;
    const dx = rng.int(2 * padding + 1) - padding;
    return shiftImage(image, [h, w, c], dy, dx, fill);
  };
}

/** out[y][x] = in[y + dy][x + dx], `fill` where that leaves the image. */
export function shiftImage(image: Float32Array, [h, w, c]: HWC, dy: number, dx: number, fill = 0): Float32Array {
  const out = new Float32Array(h * w * c).fill(fill);
  for (let y = 0; y < h; y++) {
    const sy = y + dy;
    if (sy < 0 || sy >= h) continue;
    for (let x = 0; x < w; x++) {
      const sx = x + dx;
      if (sx < 0 || sx >= w) continue;
      for (let ch = 0; ch < c; ch++) out[(y * w + x) * c + ch] = image[(sy * w + sx) * c + ch]!;
    }
  }
  return out;
}

export function flipHorizontal(image: Float32Array, [h, w, c]: HWC): Float32Array {
  const out = new Float32Array(image.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) out[(y * w + x) * c + ch] = image[(y * w + (w - 1 - x)) * c + ch]!;
  return out;
}

/** Mirrors left-right with probability `p` (default 0.5). */
export function randomHorizontalFlip(p = 0.5): Augmentation {
  if (!(p >= 0 && p <= 1)) throw new DatasetError(`randomHorizontalFlip: p must lie in [0, 1], got ${p}.`);
  return (image, shape, rng) => (rng() < p ? flipHorizontal(image, shape) : image.slice());
}

/**
 * `k` quarter turns counter-clockwise (numpy's rot90 convention), k taken mod 4. Only square
 * images keep their shape, so only they are accepted.
 */
export function rotate90<T extends Float32Array | Uint8Array>(image: T, [h, w, c]: HWC, k: number): T {
  if (h !== w) throw new DatasetError(`rotate90: the image is ${h}x${w}; rotations for RotNet need square images.`);
  const turns = ((Math.trunc(k) % 4) + 4) % 4;
  const out = new (image.constructor as new (n: number) => T)(image.length);
  const n = h;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      // source pixel that lands on (y, x) after `turns` counter-clockwise quarter turns
      const [sy, sx] = turns === 0 ? [y, x] : turns === 1 ? [x, n - 1 - y] : turns === 2 ? [n - 1 - y, n - 1 - x] : [n - 1 - x, y];
      for (let ch = 0; ch < c; ch++) out[(y * n + x) * c + ch] = image[(sy * n + sx) * c + ch]!;
    }
  }
  return out;
}

/** Applies augmentations left to right. */
export function composeAugmentations(...augmentations: Augmentation[]): Augmentation {
  return (image, shape, rng) => augmentations.reduce((img, aug) => aug(img, shape, rng), image);
}
