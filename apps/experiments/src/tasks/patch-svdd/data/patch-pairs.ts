// Patch-SVDD's training pairs (Yi & Yoon 2020, Sec. 3.1-3.2), sampled as the released code does
// (`generate_coords_position`, `generate_coords_svdd` of JHome1/GiO-GiT one-class-seg, itself from
// nuclearboy95's Patch-SVDD), for any image side H x W and patch side K:
// - position pairs: a first patch anywhere, a direction d in 0..7 (label order of PATCH_DIRECTIONS:
//   (-1,-1), (-1,0), (-1,1), (0,-1), (0,1), (1,-1), (1,0), (1,1) as (dy, dx)), the second patch
//   3K/4 + a jitter in [0, K/4) away along d on each axis that moves, clipped into the image;
// - SVDD pairs: a first patch anywhere and a second within max(1, K/32) pixels on each axis (not 0, 0), clipped.
// Positions are top-left corners (y, x).
import { extractPatch, PATCH_DIRECTIONS, type Rng } from '@curvad/datasets';

/** Patch pairs of one kind: both patches [count, K, K, C] float32 and, for position pairs, the direction labels. */
export interface PatchPairBatch {
  first: Float32Array;
  second: Float32Array;
  /** Top-left (y, x) of the first and second patch, [count, 2] each. */
  firstAt: Int32Array;
  secondAt: Int32Array;
  /** Position pairs: the direction 0..7 of the second patch from the first. */
  labels?: Int32Array;
}

/** Standardized images, [count, H, W, C] float32 one after another. */
export interface FloatImages {
  pixels: Float32Array;
  shape: [number, number, number, number];
}

const clamp = (v: number, hi: number): number => Math.min(Math.max(v, 0), hi);

/** The second patch's corner for direction `direction` from (y, x): the released code's 3K/4 + U[0, K/4) per moving axis, clipped. */
export function neighbourCorner(y: number, x: number, direction: number, K: number, H: number, W: number, rng: Rng): [number, number] {
  const [dy, dx] = PATCH_DIRECTIONS[direction]!;
  const jitterRange = Math.max(1, Math.floor(K / 4));
  const spacing = Math.floor((3 * K) / 4);
  const hDelta = rng.int(jitterRange);
  const wDelta = rng.int(jitterRange);
  return [clamp(y + dy * (hDelta + spacing), H - K), clamp(x + dx * (wDelta + spacing), W - K)];
}

function emptyBatch(count: number, K: number, C: number, labelled: boolean): PatchPairBatch {
  const n = count * K * K * C;
  return {
    first: new Float32Array(n),
    second: new Float32Array(n),
    firstAt: new Int32Array(2 * count),
    secondAt: new Int32Array(2 * count),
    ...(labelled ? { labels: new Int32Array(count) } : {}),
  };
}

/** A seeded standard normal draw (Box-Muller). */
function gaussian(rng: Rng): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** The released code's perturbation of a position patch: a colour shift per channel and pixel noise, both N(0, std). */
function perturb(patches: Float32Array, offset: number, K: number, C: number, std: number, rng: Rng): void {
  if (std === 0) return;
  const shift = Array.from({ length: C }, () => std * gaussian(rng));
  for (let p = 0; p < K * K; p++) {
    for (let c = 0; c < C; c++) patches[offset + p * C + c]! += shift[c]! + std * gaussian(rng);
  }
}

/** `count` position pairs of K x K patches, each from a random image of `images`. */
export function positionPairs(images: FloatImages, K: number, count: number, rng: Rng, noise = 0): PatchPairBatch {
  const [n, H, W, C] = images.shape;
  const per = H * W * C;
  const size = K * K * C;
  const out = emptyBatch(count, K, C, true);
  for (let i = 0; i < count; i++) {
    const index = rng.int(n);
    const image = images.pixels.subarray(index * per, (index + 1) * per);
    const y = rng.int(H - K + 1);
    const x = rng.int(W - K + 1);
    const direction = rng.int(8);
    const [y2, x2] = neighbourCorner(y, x, direction, K, H, W, rng);
    extractPatch(image, [H, W, C], K, y, x, out.first, i * size);
    extractPatch(image, [H, W, C], K, y2, x2, out.second, i * size);
    perturb(out.first, i * size, K, C, noise, rng);
    perturb(out.second, i * size, K, C, noise, rng);
    out.firstAt.set([y, x], 2 * i);
    out.secondAt.set([y2, x2], 2 * i);
    out.labels![i] = direction;
  }
  return out;
}

/** The SVDD' pairs' jitter bound: K/32 pixels per axis as the released code, at least 1. */
export function svddJitter(K: number): number {
  return Math.max(1, Math.floor(K / 32));
}

/** `count` SVDD' pairs of K x K patches: a patch and one at most svddJitter(K) pixels away (never the same place before clipping). */
export function svddPairs(images: FloatImages, K: number, count: number, rng: Rng): PatchPairBatch {
  const [n, H, W, C] = images.shape;
  const per = H * W * C;
  const size = K * K * C;
  const J = svddJitter(K);
  const out = emptyBatch(count, K, C, false);
  for (let i = 0; i < count; i++) {
    const index = rng.int(n);
    const image = images.pixels.subarray(index * per, (index + 1) * per);
    const y = rng.int(H - K + 1);
    const x = rng.int(W - K + 1);
    let dy = 0;
    let dx = 0;
    while (dy === 0 && dx === 0) {
      dy = rng.int(2 * J + 1) - J;
      dx = rng.int(2 * J + 1) - J;
    }
    const y2 = clamp(y + dy, H - K);
    const x2 = clamp(x + dx, W - K);
    extractPatch(image, [H, W, C], K, y, x, out.first, i * size);
    extractPatch(image, [H, W, C], K, y2, x2, out.second, i * size);
    out.firstAt.set([y, x], 2 * i);
    out.secondAt.set([y2, x2], 2 * i);
  }
  return out;
}
