import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { BLEND_OPACITY_RANGE, drawStroke, PERLIN_THRESHOLD, pasteRectangle, perlinBlend, type SquareImage } from './defect-kinds.js';

const SIZE = 16;

function flat(value: number, size = SIZE, channels = 1): SquareImage {
  return { pixels: new Uint8Array(size * size * channels).fill(value), size, channels };
}

/** [y, x] of the pixels where `a` and `b` differ (one channel). */
function changed(a: Uint8Array, b: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  a.forEach((v, p) => {
    if (v !== b[p]) out.push([Math.floor(p / SIZE), p % SIZE]);
  });
  return out;
}

describe('defect kinds', () => {
  it('pasteRectangle writes one rectangle of the other image, sides within the range', () => {
    for (let seed = 0; seed < 20; seed++) {
      const base = flat(0);
      const out = pasteRectangle(base, flat(9), createRng(seed), [2, 5]);
      const pixels = changed(base.pixels, out);
      const ys = pixels.map(([y]) => y);
      const xs = pixels.map(([, x]) => x);
      const [h, w] = [Math.max(...ys) - Math.min(...ys) + 1, Math.max(...xs) - Math.min(...xs) + 1];
      expect(pixels.length).toBe(h * w); // a full rectangle
      expect(Math.min(h, w)).toBeGreaterThanOrEqual(2);
      expect(Math.max(h, w)).toBeLessThanOrEqual(5);
      expect(pixels.every(([y, x]) => out[y * SIZE + x] === 9)).toBe(true);
    }
  });

  it('drawStroke copies exactly the stroke pixels above the threshold, and nothing from a blank stroke', () => {
    const stroke = flat(0, 4);
    stroke.pixels.set([255, 128, 127, 40], 4); // row 1: two pixels above 127, two not
    const base = flat(3);
    const out = drawStroke(base, stroke, createRng(2), 127);
    const pixels = changed(base.pixels, out);
    expect(pixels.length).toBe(2);
    expect(pixels.map(([y, x]) => out[y * SIZE + x]).sort()).toEqual([128, 255]);
    expect(pixels[1]![1] - pixels[0]![1]).toBe(1); // side by side, as in the stroke
    expect(Array.from(drawStroke(base, flat(127, 4), createRng(2), 127))).toEqual(Array.from(base.pixels));
  });

  it('perlinBlend mixes one opacity beta in [0.1, 1] of the other image into the Perlin region, nothing elsewhere', () => {
    const values = new Set<number>();
    for (let seed = 0; seed < 30; seed++) {
      const base = flat(0, SIZE, 3);
      const out = perlinBlend(base, flat(200, SIZE, 3), createRng(seed));
      const blended = new Set(out);
      blended.delete(0);
      // every blended pixel (all three channels) carries round(200 beta), one value per image
      expect(blended.size).toBeLessThanOrEqual(1);
      for (const v of blended) {
        values.add(v);
        expect(v).toBeGreaterThanOrEqual(Math.round(200 * BLEND_OPACITY_RANGE[0]));
        expect(v).toBeLessThanOrEqual(Math.round(200 * BLEND_OPACITY_RANGE[1]));
      }
      for (let p = 0; p < SIZE * SIZE; p++) expect(new Set(out.subarray(3 * p, 3 * p + 3)).size).toBe(1);
    }
    expect(values.size).toBeGreaterThan(5); // beta varies from seed to seed
    expect(PERLIN_THRESHOLD).toBe(0.5);
  });

  it('perlinBlend of an image with itself changes nothing', () => {
    const rng = createRng(1);
    const base: SquareImage = { pixels: Uint8Array.from({ length: SIZE * SIZE }, () => rng.int(256)), size: SIZE, channels: 1 };
    for (let seed = 0; seed < 10; seed++) expect(Array.from(perlinBlend(base, base, createRng(seed)))).toEqual(Array.from(base.pixels));
  });
});
