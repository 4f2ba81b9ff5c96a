import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import type { ImageSet } from '../image-set.js';
import { blobSet, denseSet } from '../test-support/toy-sets.js';
import { DEFECT_BENCHMARK_CATEGORIES, type DefectSet, defectBenchmark } from './defect-benchmark.js';

const SIDE = 8;
/** 8 px to 16 px: half-pixel weights are multiples of 1/4, so float32 resizing is exact and equals float64. */
const SIZE = 16;

/** n digit-like images: bright strokes (200 + i) on every third diagonal of the centre, a dim halo (90) beside them. */
function strokeSet(n: number, side: number, channels: number): ImageSet {
  const images = new Uint8Array(n * side * side * channels);
  for (let i = 0; i < n; i++)
    for (let y = 2; y < side - 2; y++)
      for (let x = 2; x < side - 2; x++) {
        const phase = (y + x + i) % 3;
        const value = phase === 0 ? 200 + i : phase === 1 ? 90 : 0;
        images.fill(value, ((i * side + y) * side + x) * channels, ((i * side + y) * side + x + 1) * channels);
      }
  return { images, labels: new Uint8Array(n), shape: [n, side, side, channels] };
}

function sets(channels: number): { normals: ImageSet; others: ImageSet; strokes: ImageSet } {
  return {
    normals: denseSet(5, SIDE, SIDE, channels, 1),
    others: blobSet(4, SIDE, SIDE, channels, 3),
    strokes: strokeSet(3, 12, channels),
  };
}

/** 1-D bilinear weights with half-pixel centres, float64 (PyTorch interpolate, align_corners=False). */
function weights64(inSize: number, outSize: number): number[][] {
  return Array.from({ length: outSize }, (_, o) => {
    const row = new Array<number>(inSize).fill(0);
    const s = Math.min(Math.max(((o + 0.5) * inSize) / outSize - 0.5, 0), inSize - 1);
    const lo = Math.floor(s);
    row[lo]! += 1 - (s - lo);
    row[Math.min(lo + 1, inSize - 1)]! += s - lo;
    return row;
  });
}

/** Image `index` of `set` resized to side x side in float64 (separable: Wy . image . Wx^T), unrounded. */
function upsample64(set: ImageSet, index: number, side: number): number[] {
  const [, h, w, c] = set.shape;
  const [wy, wx] = [weights64(h, side), weights64(w, side)];
  const out: number[] = [];
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      for (let ch = 0; ch < c; ch++) {
        let v = 0;
        for (let i = 0; i < h; i++)
          for (let j = 0; j < w; j++) v += wy[y]![i]! * wx[x]![j]! * set.images[((index * h + i) * w + j) * c + ch]!;
        out.push(v);
      }
  return out;
}

/** The masked pixels of image i as [y, x] pairs. */
function maskedPixels(set: DefectSet, i: number): [number, number][] {
  const size = set.shape[1];
  const out: [number, number][] = [];
  for (let p = 0; p < size * size; p++) if (set.masks[i * size * size + p] === 1) out.push([Math.floor(p / size), p % size]);
  return out;
}

function boundingBox(pixels: [number, number][]): [number, number] {
  const ys = pixels.map(([y]) => y);
  const xs = pixels.map(([, x]) => x);
  return [Math.max(...ys) - Math.min(...ys) + 1, Math.max(...xs) - Math.min(...xs) + 1];
}

describe('defectBenchmark', () => {
  test.prop([fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom(1, 3)], { numRuns: 12 })(
    'masks rebuilt pixel by pixel: masked pixels differ from the plain upsampled normal image, the others equal it',
    (seed, channels) => {
      const { normals, others, strokes } = sets(channels);
      const set = defectBenchmark({ normals, others, strokes, count: 12, seed, size: SIZE });
      const c = channels;
      const per = SIZE * SIZE * c;
      expect(set.shape).toEqual([12, SIZE, SIZE, c]);
      expect(set.masks.length).toBe(12 * SIZE * SIZE);
      expect(Array.from(set.labels)).toEqual(Array.from(set.defective));
      const upOthers = Array.from({ length: 4 }, (_, o) => upsample64(others, o, SIZE).map(Math.round));
      for (let i = 0; i < 12; i++) {
        const plain = upsample64(normals, set.normalIndices[i]!, SIZE).map(Math.round);
        const image = set.images.subarray(i * per, (i + 1) * per);
        const masked = maskedPixels(set, i);
        for (let p = 0; p < SIZE * SIZE; p++) {
          const differs = [...Array(c).keys()].some((ch) => image[p * c + ch] !== plain[p * c + ch]);
          expect(set.masks[i * SIZE * SIZE + p]).toBe(differs ? 1 : 0);
        }
        expect(set.kinds[i] === null).toBe(set.defective[i] === 0);
        if (set.defective[i] === 0) {
          expect(masked).toEqual([]);
          continue;
        }
        expect(masked.length).toBeGreaterThanOrEqual(1); // default minDefectPixels at 16 px: 1
        const kind = set.kinds[i];
        if (kind === 'cutpaste') {
          // a rectangle (sides 2..4 px at 16) of one upsampled other image, shifted
          const [bh, bw] = boundingBox(masked);
          expect(Math.max(bh, bw)).toBeLessThanOrEqual(4);
          const fits = upOthers.some((o) =>
            [...Array(2 * SIZE).keys()].some((sy) =>
              [...Array(2 * SIZE).keys()].some((sx) =>
                masked.every(([y, x]) => {
                  const [oy, ox] = [y + sy - SIZE, x + sx - SIZE];
                  if (oy < 0 || ox < 0 || oy >= SIZE || ox >= SIZE) return false;
                  return [...Array(c).keys()].every((ch) => image[(y * SIZE + x) * c + ch] === o[(oy * SIZE + ox) * c + ch]);
                }),
              ),
            ),
          );
          expect(fits).toBe(true);
        } else if (kind === 'stroke') {
          // bright digit pixels only, inside the digit's square (at most 3/4 of 16 px)
          for (const [y, x] of masked) expect(Math.max(...image.subarray((y * SIZE + x) * c, (y * SIZE + x + 1) * c))).toBeGreaterThan(127);
          expect(Math.max(...boundingBox(masked))).toBeLessThanOrEqual(12);
        } else {
          // one opacity beta in [0.1, 1] explains every masked value of one other image: round((1 - beta) x + beta y)
          const explained = upOthers.some((o) => {
            let [lo, hi] = [0.1, 1];
            for (const [y, x] of masked) {
              for (let ch = 0; ch < c; ch++) {
                const at = (y * SIZE + x) * c + ch;
                const [xv, yv, out] = [plain[at]!, o[at]!, image[at]!];
                if (xv === yv) {
                  if (out !== xv) return false;
                  continue;
                }
                const b1 = (out - 0.5 - xv) / (yv - xv);
                const b2 = (out + 0.5 - xv) / (yv - xv);
                lo = Math.max(lo, Math.min(b1, b2) - 1e-9);
                hi = Math.min(hi, Math.max(b1, b2) + 1e-9);
              }
            }
            return lo <= hi;
          });
          expect(explained).toBe(true);
        }
      }
    },
  );

  it('the same seed gives the same set, byte for byte; another seed another set', () => {
    const { normals, others, strokes } = sets(1);
    const a = defectBenchmark({ normals, others, strokes, count: 10, seed: 3, size: SIZE });
    const b = defectBenchmark({ normals, others, strokes, count: 10, seed: 3, size: SIZE });
    const d = defectBenchmark({ normals, others, strokes, count: 10, seed: 4, size: SIZE });
    expect(Buffer.from(a.images).equals(Buffer.from(b.images))).toBe(true);
    expect(Buffer.from(a.masks).equals(Buffer.from(b.masks))).toBe(true);
    expect(a.kinds).toEqual(b.kinds);
    expect(Array.from(a.normalIndices)).toEqual(Array.from(b.normalIndices));
    expect(Buffer.from(a.images).equals(Buffer.from(d.images))).toBe(false);
  });

  test.prop([fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1000 })], {
    numRuns: 25,
  })('exactly round(defectFraction * count) images carry a defect, each with a non-empty mask', (count, defectFraction, seed) => {
    const { normals, others, strokes } = sets(1);
    const set = defectBenchmark({ normals, others, strokes, count, seed, size: SIZE, defectFraction });
    const expected = Math.round(defectFraction * count);
    expect(set.defective.reduce((a, v) => a + v, 0)).toBe(expected);
    expect(set.kinds.filter((k) => k !== null).length).toBe(expected);
    for (let i = 0; i < count; i++) expect(maskedPixels(set, i).length > 0).toBe(set.defective[i] === 1);
  });

  it('defectFraction 0 is a normal training set: no defect, no mask, and neither strokes nor others are needed', () => {
    const { normals } = sets(1);
    const empty: ImageSet = { images: new Uint8Array(0), labels: new Uint8Array(0), shape: [0, SIDE, SIDE, 1] };
    const set = defectBenchmark({ normals, others: empty, count: 9, seed: 1, size: SIZE, defectFraction: 0 });
    expect(set.defective.every((v) => v === 0)).toBe(true);
    expect(set.masks.every((v) => v === 0)).toBe(true);
    expect(set.kinds.every((k) => k === null)).toBe(true);
    for (let i = 0; i < 9; i++) {
      const plain = upsample64(normals, set.normalIndices[i]!, SIZE).map(Math.round);
      expect(Array.from(set.images.subarray(i * SIZE * SIZE, (i + 1) * SIZE * SIZE))).toEqual(plain);
    }
  });

  it('draws all three kinds by default, and only the kinds asked for', () => {
    const { normals, others, strokes } = sets(1);
    const all = defectBenchmark({ normals, others, strokes, count: 45, seed: 11, size: SIZE, defectFraction: 1 });
    expect(new Set(all.kinds)).toEqual(new Set(['cutpaste', 'stroke', 'perlin-blend']));
    const only = defectBenchmark({ normals, others, count: 10, seed: 11, size: SIZE, defectFraction: 1, kinds: ['perlin-blend'] });
    expect(new Set(only.kinds)).toEqual(new Set(['perlin-blend']));
  });

  it('upsamples bilinearly with half-pixel centres: a 3x3 image to 7x7 matches the float64 reference, rounded', () => {
    const normals: ImageSet = {
      images: Uint8Array.from([0, 200, 30, 255, 7, 90, 18, 140, 66]),
      labels: new Uint8Array(1),
      shape: [1, 3, 3, 1],
    };
    const set = defectBenchmark({ normals, others: normals, count: 1, seed: 0, size: 7, defectFraction: 0 });
    const reference = upsample64(normals, 0, 7);
    reference.forEach((v, p) => {
      // a float32 result may round the other way only within 1e-4 of a .5 tie
      if (Math.abs((v % 1) - 0.5) > 1e-4) expect(set.images[p]).toBe(Math.round(v));
      else expect(Math.abs(set.images[p]! - v)).toBeLessThanOrEqual(0.5 + 1e-4);
    });
    expect(set.images[0]).toBe(0); // corners keep the corner pixels
    expect(set.images[6]).toBe(30);
    expect(set.images[48]).toBe(66);
  });

  it('rejects bad input with a DatasetError that names the problem', () => {
    const { normals, others, strokes } = sets(1);
    const base = { normals, others, strokes, count: 4, seed: 0, size: SIZE };
    const empty: ImageSet = { images: new Uint8Array(0), labels: new Uint8Array(0), shape: [0, SIDE, SIDE, 1] };
    const cases: [Parameters<typeof defectBenchmark>[0], RegExp][] = [
      [{ ...base, size: 6 }, /size 6 is smaller than the normals \(8x8\).*give size >= 8/],
      [{ ...base, others: blobSet(2, 20, 20, 1, 1) }, /size 16 is smaller than the others \(20x20\)/],
      [{ ...base, normals: empty }, /normals holds no images/],
      [{ ...base, others: empty }, /others holds no images/],
      [{ ...base, strokes: undefined }, /kinds includes 'stroke' but no strokes were given/],
      [{ ...base, strokes: empty }, /kinds includes 'stroke' but no strokes were given/],
      [{ ...base, others: blobSet(2, SIDE, SIDE, 3, 1) }, /others have 3 channels, normals 1/],
      [{ ...base, strokes: blobSet(2, 12, 12, 3, 1) }, /strokes have 3 channels, normals 1/],
      [{ ...base, defectFraction: 1.5 }, /defectFraction must lie in \[0, 1\], got 1.5/],
      [{ ...base, kinds: [] }, /kinds must be a non-empty list/],
      [{ ...base, kinds: ['scratch' as never] }, /kinds must be a non-empty list.*"scratch"/],
      [{ ...base, count: 2.5 }, /count must be a non-negative integer, got 2.5/],
      [{ ...base, minDefectPixels: 0 }, /minDefectPixels must be an integer in 1..256, got 0/],
      [{ ...base, patchScale: [0.5, 0.25] }, /patchScale \[0.5, 0.25\] must be fractions/],
    ];
    for (const [options, message] of cases) {
      let thrown: unknown;
      try {
        defectBenchmark(options);
      } catch (e) {
        thrown = e;
      }
      expect(DatasetError.isInstance(thrown), String(message)).toBe(true);
      expect((thrown as Error).message).toMatch(message);
    }
  });

  it('gives up with a clear error when the sources cannot change enough pixels', () => {
    const normals = denseSet(1, SIDE, SIDE, 1, 1);
    // others equal to the one normal image: a perlin blend of an image with itself changes nothing
    expect(() =>
      defectBenchmark({ normals, others: normals, count: 1, seed: 0, size: SIDE, defectFraction: 1, kinds: ['perlin-blend'] }),
    ).toThrow(
      /100 draws of a 'perlin-blend' defect on image 0 all changed fewer than 1 pixels; its sources \(others\) look blank or equal to the normals/,
    );
  });

  it('lists five distinct Fashion-MNIST classes as its categories', () => {
    expect(DEFECT_BENCHMARK_CATEGORIES.length).toBe(5);
    expect(new Set(DEFECT_BENCHMARK_CATEGORIES).size).toBe(5);
    expect(DEFECT_BENCHMARK_CATEGORIES.every((k) => Number.isInteger(k) && k >= 0 && k <= 9)).toBe(true);
  });
});
