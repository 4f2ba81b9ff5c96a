// Patch sampling for Patch-SVDD (Yi & Yoon, ACCV 2020). Training draws (a) pairs of patches a short
// jitter apart, pulled together by the SVDD' loss, and (b) pairs of neighbouring patches for the
// self-supervised task of predicting in which of 8 directions the second lies. Inference embeds
// every patch of a dense grid. Positions are always the patch's top-left corner (y, x).
import { DatasetError } from '../errors.js';
import type { Rng } from '../random.js';
import type { HWC } from './augment.js';

export interface PatchSample {
  /** [count, size, size, channels], float32. */
  patches: Float32Array;
  /** [count, 2] top-left (y, x) of each patch. */
  positions: Int32Array;
}

/** The 8 neighbour directions (dy, dx) of the position task, in label order. */
export const PATCH_DIRECTIONS: readonly (readonly [number, number])[] = [
  [-1, -1],
  [-1, 0],
  [-1, 1],
  [0, -1],
  [0, 1],
  [1, -1],
  [1, 0],
  [1, 1],
];

function checkPatch(shape: HWC, size: number, what: string): void {
  if (!Number.isInteger(size) || size < 1 || size > shape[0] || size > shape[1]) {
    throw new DatasetError(`${what}: patch size ${size} must be a positive integer no larger than the ${shape[0]}x${shape[1]} image.`);
  }
}

export function extractPatch(
  image: Float32Array,
  [, w, c]: HWC,
  size: number,
  y: number,
  x: number,
  out: Float32Array,
  offset: number,
): void {
  for (let r = 0; r < size; r++) out.set(image.subarray(((y + r) * w + x) * c, ((y + r) * w + x + size) * c), offset + r * size * c);
}

/** `count` patches at uniformly random positions. */
export function samplePatches(image: Float32Array, shape: HWC, size: number, count: number, rng: Rng): PatchSample {
  checkPatch(shape, size, 'samplePatches');
  const [h, w, c] = shape;
  const patches = new Float32Array(count * size * size * c);
  const positions = new Int32Array(2 * count);
  for (let i = 0; i < count; i++) {
    const y = rng.int(h - size + 1);
    const x = rng.int(w - size + 1);
    positions[2 * i] = y;
    positions[2 * i + 1] = x;
    extractPatch(image, shape, size, y, x, patches, i * size * size * c);
  }
  return { patches, positions };
}

/** Every patch position of a grid with the given stride (the last row/column flush with the border). */
export function patchGrid(height: number, width: number, size: number, stride: number): Int32Array {
  if (!Number.isInteger(stride) || stride < 1) throw new DatasetError(`patchGrid: stride must be a positive integer, got ${stride}.`);
  checkPatch([height, width, 1], size, 'patchGrid');
  const axis = (len: number): number[] => {
    const out: number[] = [];
    for (let p = 0; p + size <= len; p += stride) out.push(p);
    if (out[out.length - 1] !== len - size) out.push(len - size);
    return out;
  };
  const ys = axis(height);
  const xs = axis(width);
  const positions = new Int32Array(2 * ys.length * xs.length);
  let k = 0;
  for (const y of ys)
    for (const x of xs) {
      positions[k++] = y;
      positions[k++] = x;
    }
  return positions;
}

export interface PatchPairs {
  first: PatchSample;
  second: PatchSample;
}

export interface PositionPairs extends PatchPairs {
  /** Where the second patch lies relative to the first: 0..7 into PATCH_DIRECTIONS. */
  directions: Uint8Array;
}

export interface PositionPairOptions {
  size: number;
  count: number;
  rng: Rng;
  /** Centre distance of neighbours along each axis, in pixels (default 3/4 of the patch, so they overlap slightly less than adjacent tiles). */
  spacing?: number;
  /** Maximal random displacement added to the neighbour on each axis (default size / 8), so the task cannot be solved from the exact seam. */
  jitter?: number;
}

/** Neighbour pairs for Patch-SVDD's 8-way position task. */
export function positionPairs(image: Float32Array, shape: HWC, options: PositionPairOptions): PositionPairs {
  const { size, count, rng } = options;
  checkPatch(shape, size, 'positionPairs');
  const spacing = options.spacing ?? Math.round((3 * size) / 4);
  const jitter = options.jitter ?? Math.floor(size / 8);
  const [h, w, c] = shape;
  const reach = spacing + jitter;
  if (size + 2 * reach > Math.min(h, w)) {
    throw new DatasetError(
      `positionPairs: a ${size}px patch with neighbours ${spacing}+-${jitter}px away needs images of at least ${size + 2 * reach}px; lower the patch size.`,
    );
  }
  const n = size * size * c;
  const first: PatchSample = { patches: new Float32Array(count * n), positions: new Int32Array(2 * count) };
  const second: PatchSample = { patches: new Float32Array(count * n), positions: new Int32Array(2 * count) };
  const directions = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    // the first patch keeps `reach` from the border so every direction fits
    const y = reach + rng.int(h - size - 2 * reach + 1);
    const x = reach + rng.int(w - size - 2 * reach + 1);
    const dir = rng.int(8);
    const [dy, dx] = PATCH_DIRECTIONS[dir]!;
    const y2 = y + dy * spacing + rng.int(2 * jitter + 1) - jitter;
    const x2 = x + dx * spacing + rng.int(2 * jitter + 1) - jitter;
    directions[i] = dir;
    first.positions.set([y, x], 2 * i);
    second.positions.set([y2, x2], 2 * i);
    extractPatch(image, shape, size, y, x, first.patches, i * n);
    extractPatch(image, shape, size, y2, x2, second.patches, i * n);
  }
  return { first, second, directions };
}

/** Pairs of patches at most `jitter` pixels apart on each axis (the SVDD' pairs). */
export function nearbyPairs(image: Float32Array, shape: HWC, size: number, count: number, jitter: number, rng: Rng): PatchPairs {
  checkPatch(shape, size, 'nearbyPairs');
  const [h, w, c] = shape;
  if (!Number.isInteger(jitter) || jitter < 0) throw new DatasetError(`nearbyPairs: jitter must be a non-negative integer, got ${jitter}.`);
  const n = size * size * c;
  const first: PatchSample = { patches: new Float32Array(count * n), positions: new Int32Array(2 * count) };
  const second: PatchSample = { patches: new Float32Array(count * n), positions: new Int32Array(2 * count) };
  const clamp = (v: number, hi: number): number => Math.min(Math.max(v, 0), hi);
  for (let i = 0; i < count; i++) {
    const y = rng.int(h - size + 1);
    const x = rng.int(w - size + 1);
    const y2 = clamp(y + rng.int(2 * jitter + 1) - jitter, h - size);
    const x2 = clamp(x + rng.int(2 * jitter + 1) - jitter, w - size);
    first.positions.set([y, x], 2 * i);
    second.positions.set([y2, x2], 2 * i);
    extractPatch(image, shape, size, y, x, first.patches, i * n);
    extractPatch(image, shape, size, y2, x2, second.patches, i * n);
  }
  return { first, second };
}
