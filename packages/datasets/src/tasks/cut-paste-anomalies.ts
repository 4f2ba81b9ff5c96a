// One-class anomaly segmentation on real pixels, an MVTec AD analogue: a test image is a normal
// image, and an anomalous one additionally carries a rectangle cut from another image (another
// class, or a digit) and pasted at a random place, CutPaste-style (Li et al. 2021). The mask
// marks exactly the pixels that were overwritten.
import { DatasetError } from '../errors.js';
import { assertImageSet, type ImageSet } from '../image-set.js';
import { createRng } from '../random.js';

export interface CutPasteOptions {
  /** The normal images (one class). */
  normals: ImageSet;
  /** Where patches are cut from (other classes, digits); same channel count as `normals`. */
  sources: ImageSet;
  count: number;
  seed: number;
  /** Fraction of the `count` images that get a pasted patch (default 0.5); the rest stay normal. */
  anomalyFraction?: number;
  /** Patch side range in pixels, inclusive (default [8, 16]); each side is drawn independently. */
  patchSize?: [min: number, max: number];
  /**
   * 'patch' (default): the whole rectangle is pasted and masked. 'foreground': only the patch's pixels
   * brighter than `foregroundThreshold` are pasted (a digit's strokes, not its black surround), and
   * only they are masked.
   */
  mode?: 'patch' | 'foreground';
  foregroundThreshold?: number;
}

export interface CutPastePaste {
  image: number;
  normalIndex: number;
  sourceIndex: number;
  /** Top-left of the cut in the source image, and of the paste in the result. */
  from: [y: number, x: number];
  to: [y: number, x: number];
  size: [h: number, w: number];
}

export interface CutPasteSet extends ImageSet {
  /** Per-pixel ground truth [count, h, w]: 1 exactly where a pasted pixel was written. */
  masks: Uint8Array;
  /** For each image, the index of the normal image it started from. */
  normalIndices: Uint32Array;
  pastes: CutPastePaste[];
}

const DEFAULT_PATCH_SIZE: [number, number] = [8, 16];
/** In 'foreground' mode a cut with no bright pixel pastes nothing; this many redraws find one in practice. */
const MAX_FOREGROUND_DRAWS = 100;

/** `labels` is 1 for an image with a pasted patch, else 0. */
export function cutPasteAnomalies(options: CutPasteOptions): CutPasteSet {
  const { normals, sources, count, seed } = options;
  assertImageSet(normals, 'cutPasteAnomalies normals');
  assertImageSet(sources, 'cutPasteAnomalies sources');
  const [nN, h, w, c] = normals.shape;
  const [nS, sh, sw, sc] = sources.shape;
  const fraction = options.anomalyFraction ?? 0.5;
  const [minSide, maxSide] = options.patchSize ?? DEFAULT_PATCH_SIZE;
  const mode = options.mode ?? 'patch';
  const threshold = options.foregroundThreshold ?? 0;
  if (nN === 0 || nS === 0) throw new DatasetError('cutPasteAnomalies: normals and sources must both hold images.');
  if (sc !== c)
    throw new DatasetError(`cutPasteAnomalies: sources have ${sc} channels, normals ${c}; use sets with the same channel count.`);
  if (!Number.isInteger(count) || count < 0)
    throw new DatasetError(`cutPasteAnomalies: count must be a non-negative integer, got ${count}.`);
  if (!(fraction >= 0 && fraction <= 1)) throw new DatasetError(`cutPasteAnomalies: anomalyFraction must lie in [0, 1], got ${fraction}.`);
  if (!Number.isInteger(minSide) || !Number.isInteger(maxSide) || minSide < 1 || maxSide < minSide || maxSide > Math.min(h, w, sh, sw)) {
    throw new DatasetError(
      `cutPasteAnomalies: patchSize [${minSide}, ${maxSide}] must be integers with 1 <= min <= max <= ${Math.min(h, w, sh, sw)} (the smallest image side).`,
    );
  }
  if (mode !== 'patch' && mode !== 'foreground')
    throw new DatasetError(`cutPasteAnomalies: mode must be 'patch' or 'foreground', got ${JSON.stringify(mode)}.`);

  const rng = createRng(seed);
  const per = h * w * c;
  const images = new Uint8Array(count * per);
  const masks = new Uint8Array(count * h * w);
  const labels = new Uint8Array(count);
  const normalIndices = new Uint32Array(count);
  const pastes: CutPastePaste[] = [];
  const anomalous = Math.round(fraction * count);
  // which images are anomalous: a seeded choice of exactly `anomalous` of them
  const isAnomalous = new Uint8Array(count);
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (let k = 0; k < anomalous; k++) isAnomalous[order[k]!] = 1;

  const bright = (s: number): boolean => {
    for (let ch = 0; ch < c; ch++) if (sources.images[s + ch]! > threshold) return true;
    return false;
  };

  for (let i = 0; i < count; i++) {
    const normalIndex = rng.int(nN);
    normalIndices[i] = normalIndex;
    images.set(normals.images.subarray(normalIndex * per, (normalIndex + 1) * per), i * per);
    if (!isAnomalous[i]) continue;
    let draw = 0;
    for (;;) {
      const ph = minSide + rng.int(maxSide - minSide + 1);
      const pw = minSide + rng.int(maxSide - minSide + 1);
      const sourceIndex = rng.int(nS);
      const fy = rng.int(sh - ph + 1);
      const fx = rng.int(sw - pw + 1);
      const ty = rng.int(h - ph + 1);
      const tx = rng.int(w - pw + 1);
      const sBase = sourceIndex * sh * sw * c;
      let written = 0;
      if (mode === 'foreground') {
        for (let r = 0; r < ph && written === 0; r++)
          for (let q = 0; q < pw; q++) if (bright(sBase + ((fy + r) * sw + fx + q) * c)) written++;
        if (written === 0) {
          if (++draw >= MAX_FOREGROUND_DRAWS) {
            throw new DatasetError(
              `cutPasteAnomalies: ${MAX_FOREGROUND_DRAWS} random cuts found no source pixel above ${threshold}; the sources look blank, or use mode 'patch'.`,
            );
          }
          continue;
        }
      }
      for (let r = 0; r < ph; r++) {
        for (let q = 0; q < pw; q++) {
          const s = sBase + ((fy + r) * sw + fx + q) * c;
          if (mode === 'foreground' && !bright(s)) continue;
          const p = (ty + r) * w + tx + q;
          for (let ch = 0; ch < c; ch++) images[i * per + p * c + ch] = sources.images[s + ch]!;
          masks[i * h * w + p] = 1;
        }
      }
      labels[i] = 1;
      pastes.push({ image: i, normalIndex, sourceIndex, from: [fy, fx], to: [ty, tx], size: [ph, pw] });
      break;
    }
  }
  return { images, labels, shape: [count, h, w, c], masks, normalIndices, pastes, classNames: ['normal', 'anomalous'] };
}
