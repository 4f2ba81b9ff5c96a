// The offline defect benchmark: a one-class anomaly segmentation set, an MVTec AD analogue made from
// real images. Normal images of one category (e.g. one Fashion-MNIST class) are upsampled bilinearly to
// `size` x `size`; a seeded choice of exactly round(defectFraction * count) of them carry one synthetic
// defect (a CutPaste rectangle, MNIST strokes, or a DRAEM Perlin blend; see defect-kinds.ts). The mask is
// pixel-exact: 1 exactly where the image differs from its plain upsampled normal image, i.e. where a
// written or blended pixel changed value in some channel (an overwrite that happens to keep the value is
// no visible defect and is not marked).
import { DatasetError } from '../errors.js';
import { assertImageSet, type ImageSet } from '../image-set.js';
import { resizeBilinear } from '../pipeline/bilinear-resize.js';
import { createRng, type Rng } from '../random.js';
import { DEFECT_KINDS, type DefectKind, drawStroke, pasteRectangle, perlinBlend, type SquareImage } from './defect-kinds.js';

export interface DefectBenchmarkOptions {
  /** Normal images of one category (uint8 HWC ImageSet, e.g. Fashion-MNIST items of one class). */
  normals: ImageSet;
  /** Images of other categories: CutPaste patch sources and DRAEM-style blend sources. */
  others: ImageSet;
  /** Stroke sources (MNIST digits); needed when kinds includes 'stroke'. */
  strokes?: ImageSet;
  count: number;
  seed: number;
  /** Output side in pixels; sources are upsampled bilinearly (default 64). */
  size?: number;
  /** Share of the images that carry a defect (default 0.5; 0 = a normal training set). */
  defectFraction?: number;
  /** Defect kinds drawn uniformly per defective image (default all three). */
  kinds?: DefectKind[];
  /** CutPaste rectangle sides as fractions of `size`, inclusive (default [1/8, 1/4]: 8..16 px at 64). */
  patchScale?: [min: number, max: number];
  /** Stroke digit side as fractions of `size` (default [3/8, 3/4]: 24..48 px at 64). */
  strokeScale?: [min: number, max: number];
  /** Stroke pixels are those brighter than this in some channel (default 127: MNIST's strokes, not their halo). */
  strokeThreshold?: number;
  /** A defect changing fewer pixels is redrawn (default size^2 / 256: 16 px at 64). */
  minDefectPixels?: number;
}

export interface DefectSet extends ImageSet {
  /** Pixel-exact ground truth [count * size * size], 1 = defect pixel. */
  masks: Uint8Array;
  /** Per image: 1 when it carries a defect. */
  defective: Uint8Array;
  /** Per image: its defect kind, or null. */
  kinds: (DefectKind | null)[];
  /** Per image: the index in `normals` of the image it was made from. */
  normalIndices: Uint32Array;
}

/**
 * The offline benchmark's categories: Fashion-MNIST classes used as "objects", one per kind of shape:
 * 0 T-shirt/top, 1 Trouser, 5 Sandal (sparse, mostly background), 8 Bag, 9 Ankle boot.
 */
export const DEFECT_BENCHMARK_CATEGORIES: readonly number[] = Object.freeze([0, 1, 5, 8, 9]);

const DEFAULT_SIZE = 64;
const DEFAULT_DEFECT_FRACTION = 0.5;
const DEFAULT_PATCH_SCALE: [number, number] = [1 / 8, 1 / 4];
const DEFAULT_STROKE_SCALE: [number, number] = [3 / 8, 3 / 4];
const DEFAULT_STROKE_THRESHOLD = 127;
/** Default smallest defect, in pixels per pixel of the image: 16 px at 64 x 64. */
const DEFAULT_MIN_DEFECT_SHARE = 1 / 256;
/** Redraws of one image's defect before giving up (only blank or identical sources need more). */
const MAX_DEFECT_DRAWS = 100;

const NAME = 'defectBenchmark';

/** Image `index` of `set`, resized bilinearly (half-pixel centres) to side x side and rounded to uint8. */
function resizedImage(set: ImageSet, index: number, side: number): Uint8Array {
  const [, h, w, c] = set.shape;
  const per = h * w * c;
  const source = Float32Array.from(set.images.subarray(index * per, (index + 1) * per));
  return Uint8Array.from(resizeBilinear(source, [h, w, c], side, side), Math.round);
}

/** A side range in pixels from fractions of `size`, at least 1 px and at most `size`. */
function sideRange(scale: [number, number], size: number, option: string): [number, number] {
  const [lo, hi] = scale;
  if (!(lo > 0 && hi >= lo && hi <= 1)) {
    throw new DatasetError(`${NAME}: ${option} [${lo}, ${hi}] must be fractions of size with 0 < min <= max <= 1.`);
  }
  return [Math.max(1, Math.round(lo * size)), Math.max(1, Math.round(hi * size))];
}

interface Checked {
  size: number;
  channels: number;
  defects: number;
  kinds: DefectKind[];
  minPixels: number;
}

function checkOptions(options: DefectBenchmarkOptions): Checked {
  const { normals, others, strokes, count } = options;
  assertImageSet(normals, `${NAME} normals`);
  assertImageSet(others, `${NAME} others`);
  if (strokes !== undefined) assertImageSet(strokes, `${NAME} strokes`);
  const [nN, , , channels] = normals.shape;
  const size = options.size ?? DEFAULT_SIZE;
  const fraction = options.defectFraction ?? DEFAULT_DEFECT_FRACTION;
  const kinds = options.kinds ?? [...DEFECT_KINDS];
  if (nN === 0) throw new DatasetError(`${NAME}: normals holds no images; give the normal category's images.`);
  if (!Number.isInteger(count) || count < 0) throw new DatasetError(`${NAME}: count must be a non-negative integer, got ${count}.`);
  if (!Number.isInteger(size) || size < 1) throw new DatasetError(`${NAME}: size must be an integer >= 1, got ${size}.`);
  for (const [what, set] of [
    ['normals', normals],
    ['others', others],
  ] as const) {
    const [n, sh, sw] = set.shape;
    if (n > 0 && (size < sh || size < sw)) {
      throw new DatasetError(
        `${NAME}: size ${size} is smaller than the ${what} (${sh}x${sw}); the benchmark only upsamples, give size >= ${Math.max(sh, sw)}.`,
      );
    }
  }
  if (!(fraction >= 0 && fraction <= 1)) throw new DatasetError(`${NAME}: defectFraction must lie in [0, 1], got ${fraction}.`);
  if (!Array.isArray(kinds) || kinds.length === 0 || kinds.some((k) => !DEFECT_KINDS.includes(k))) {
    throw new DatasetError(
      `${NAME}: kinds must be a non-empty list of ${DEFECT_KINDS.map((k) => `'${k}'`).join(', ')}, got ${JSON.stringify(kinds)}.`,
    );
  }
  for (const [what, set] of [
    ['others', others],
    ['strokes', strokes],
  ] as const) {
    if (set !== undefined && set.shape[0] > 0 && set.shape[3] !== channels) {
      throw new DatasetError(`${NAME}: ${what} have ${set.shape[3]} channels, normals ${channels}; use sets with the same channel count.`);
    }
  }
  const defects = Math.round(fraction * count);
  if (defects > 0) {
    if (others.shape[0] === 0 && kinds.some((k) => k !== 'stroke')) {
      throw new DatasetError(
        `${NAME}: others holds no images, but 'cutpaste' and 'perlin-blend' defects take their pixels from it; give images of other categories.`,
      );
    }
    if (kinds.includes('stroke') && (strokes === undefined || strokes.shape[0] === 0)) {
      throw new DatasetError(
        `${NAME}: kinds includes 'stroke' but no strokes were given; pass strokes (e.g. MNIST digits) or leave 'stroke' out of kinds.`,
      );
    }
  }
  const minPixels = options.minDefectPixels ?? Math.max(1, Math.round(size * size * DEFAULT_MIN_DEFECT_SHARE));
  if (!Number.isInteger(minPixels) || minPixels < 1 || minPixels > size * size) {
    throw new DatasetError(`${NAME}: minDefectPixels must be an integer in 1..${size * size}, got ${minPixels}.`);
  }
  return { size, channels, defects, kinds, minPixels };
}

/** The indices of exactly `k` of `count` images, a seeded choice. */
function chooseDefective(rng: Rng, count: number, k: number): Uint8Array {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const chosen = new Uint8Array(count);
  for (let i = 0; i < k; i++) chosen[order[i]!] = 1;
  return chosen;
}

/**
 * `count` images of side `size` made from `normals`; exactly round(defectFraction * count) of them, a
 * seeded choice, carry one defect of a kind drawn uniformly from `kinds`. `labels` equals `defective`.
 * The same options give the same set, byte for byte.
 */
export function defectBenchmark(options: DefectBenchmarkOptions): DefectSet {
  const { size, channels, defects, kinds, minPixels } = checkOptions(options);
  const { normals, others, count } = options;
  const strokes = options.strokes;
  const patchSides = sideRange(options.patchScale ?? DEFAULT_PATCH_SCALE, size, 'patchScale');
  const strokeSides = sideRange(options.strokeScale ?? DEFAULT_STROKE_SCALE, size, 'strokeScale');
  const threshold = options.strokeThreshold ?? DEFAULT_STROKE_THRESHOLD;
  if (!(threshold >= 0 && threshold < 255)) throw new DatasetError(`${NAME}: strokeThreshold must lie in [0, 255), got ${threshold}.`);

  const rng = createRng(options.seed);
  const per = size * size * channels;
  const images = new Uint8Array(count * per);
  const masks = new Uint8Array(count * size * size);
  const normalIndices = new Uint32Array(count);
  const imageKinds: (DefectKind | null)[] = new Array(count).fill(null);
  const defective = chooseDefective(rng, count, defects);
  const upsampled = new Map<number, Uint8Array>();
  const square = (pixels: Uint8Array, side = size): SquareImage => ({ pixels, size: side, channels });

  const paint = (kind: DefectKind, base: SquareImage): Uint8Array => {
    if (kind === 'stroke') {
      const set = strokes as ImageSet;
      const side = strokeSides[0] + rng.int(strokeSides[1] - strokeSides[0] + 1);
      return drawStroke(base, square(resizedImage(set, rng.int(set.shape[0]), side), side), rng, threshold);
    }
    const other = square(resizedImage(others, rng.int(others.shape[0]), size));
    return kind === 'cutpaste' ? pasteRectangle(base, other, rng, patchSides) : perlinBlend(base, other, rng);
  };

  for (let i = 0; i < count; i++) {
    const normalIndex = rng.int(normals.shape[0]);
    normalIndices[i] = normalIndex;
    let plain = upsampled.get(normalIndex);
    if (plain === undefined) {
      plain = resizedImage(normals, normalIndex, size);
      upsampled.set(normalIndex, plain);
    }
    if (!defective[i]) {
      images.set(plain, i * per);
      continue;
    }
    const kind = kinds[rng.int(kinds.length)]!;
    const mask = masks.subarray(i * size * size, (i + 1) * size * size);
    for (let draw = 0; ; draw++) {
      if (draw === MAX_DEFECT_DRAWS) {
        throw new DatasetError(
          `${NAME}: ${MAX_DEFECT_DRAWS} draws of a '${kind}' defect on image ${i} all changed fewer than ${minPixels} pixels; its sources (${kind === 'stroke' ? 'strokes' : 'others'}) look blank or equal to the normals, or lower minDefectPixels.`,
        );
      }
      const painted = paint(kind, square(plain));
      let changed = 0;
      for (let p = 0; p < size * size; p++) {
        let differs = 0;
        for (let ch = 0; ch < channels; ch++) if (painted[p * channels + ch] !== plain[p * channels + ch]) differs = 1;
        mask[p] = differs;
        changed += differs;
      }
      if (changed >= minPixels) {
        images.set(painted, i * per);
        imageKinds[i] = kind;
        break;
      }
    }
  }
  return {
    images,
    labels: defective.slice(),
    shape: [count, size, size, channels],
    classNames: ['normal', 'defective'],
    masks,
    defective,
    kinds: imageKinds,
    normalIndices,
  };
}
