// The three synthetic defects of the offline defect benchmark. Each paints on a copy of a square uint8
// HWC image (side `size`) and returns the copy; the benchmark derives the mask from what changed.
// - 'cutpaste': a rectangle of another image pasted at a random place (CutPaste, Li et al. 2021),
//   done by cutPasteAnomalies on one image;
// - 'stroke': a digit's bright strokes drawn over the image (cutPasteAnomalies' 'foreground' mode);
// - 'perlin-blend': DRAEM's defect (Zavrtanik et al. 2021): another image blended in under a
//   thresholded Perlin-noise mask m with opacity beta, out = (1 - beta m) x + beta m y.
import type { ImageSet } from '../image-set.js';
import type { Rng } from '../random.js';
import { cutPasteAnomalies } from './cut-paste-anomalies.js';
import { perlinNoise, perlinNoiseGrid } from './perlin-noise.js';

export type DefectKind = 'cutpaste' | 'stroke' | 'perlin-blend';

export const DEFECT_KINDS: readonly DefectKind[] = ['cutpaste', 'stroke', 'perlin-blend'];

/** DRAEM's threshold on the [-1, 1] Perlin noise: m = 1 where the noise exceeds it. */
export const PERLIN_THRESHOLD = 0.5;
/** Blend opacity beta is drawn uniformly from this range (beta = 1 pastes the other image outright). */
export const BLEND_OPACITY_RANGE: readonly [number, number] = [0.1, 1.0];
/** Finest Perlin period in pixels: cells per side are powers of two no finer than this (DRAEM: 2^0..2^5 cells on 256 px). */
const MIN_PERLIN_PERIOD = 8;
/** Seeds handed to cutPasteAnomalies for one image are drawn from [0, SEED_RANGE). */
const SEED_RANGE = 2 ** 31;

/** One square uint8 HWC image. */
export interface SquareImage {
  pixels: Uint8Array;
  size: number;
  channels: number;
}

function singleImageSet(image: SquareImage): ImageSet {
  return { images: image.pixels, labels: new Uint8Array(1), shape: [1, image.size, image.size, image.channels] };
}

/** `base` with a rectangle of `other` (sides drawn in `sides`, inclusive) pasted at a random place. */
export function pasteRectangle(base: SquareImage, other: SquareImage, rng: Rng, sides: readonly [number, number]): Uint8Array {
  return cutPasteAnomalies({
    normals: singleImageSet(base),
    sources: singleImageSet(other),
    count: 1,
    seed: rng.int(SEED_RANGE),
    anomalyFraction: 1,
    patchSize: [sides[0], sides[1]],
  }).images;
}

/**
 * `base` with the pixels of `stroke` (a digit already resized, side <= base side) brighter than
 * `threshold` in any channel drawn at a random place. A stroke image with no such pixel changes nothing.
 */
export function drawStroke(base: SquareImage, stroke: SquareImage, rng: Rng, threshold: number): Uint8Array {
  if (!stroke.pixels.some((v) => v > threshold)) return base.pixels.slice();
  return cutPasteAnomalies({
    normals: singleImageSet(base),
    sources: singleImageSet(stroke),
    count: 1,
    seed: rng.int(SEED_RANGE),
    anomalyFraction: 1,
    patchSize: [stroke.size, stroke.size],
    mode: 'foreground',
    foregroundThreshold: threshold,
  }).images;
}

/** Cells per side: 2^k with k uniform in 0..kMax, the finest period still >= MIN_PERLIN_PERIOD pixels. */
function drawCells(rng: Rng, size: number): number {
  const kMax = Math.max(0, Math.floor(Math.log2(size / MIN_PERLIN_PERIOD)));
  return 2 ** rng.int(kMax + 1);
}

/**
 * `base` blended with `other` under a Perlin mask m (noise > PERLIN_THRESHOLD at a random scale per
 * axis) with a random opacity beta: out = round((1 - beta m) x + beta m y), per channel.
 */
export function perlinBlend(base: SquareImage, other: SquareImage, rng: Rng): Uint8Array {
  const { size, channels } = base;
  const noise = perlinNoise(rng, drawCells(rng, size), drawCells(rng, size));
  const grid = perlinNoiseGrid(noise, size, size);
  const [lo, hi] = BLEND_OPACITY_RANGE;
  const beta = lo + (hi - lo) * rng();
  const out = base.pixels.slice();
  for (let p = 0; p < size * size; p++) {
    if (grid[p]! <= PERLIN_THRESHOLD) continue;
    for (let ch = 0; ch < channels; ch++) {
      const at = p * channels + ch;
      out[at] = Math.round((1 - beta) * base.pixels[at]! + beta * other.pixels[at]!);
    }
  }
  return out;
}
