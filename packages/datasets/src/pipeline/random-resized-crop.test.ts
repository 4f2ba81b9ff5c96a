import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { randomResizedCrop, randomResizedCropBox, roundHalfEven } from './random-resized-crop.js';

const image = (n: number) => Float32Array.from({ length: n }, (_, i) => (i % 17) / 16);

describe('randomResizedCrop (torchvision RandomResizedCrop)', () => {
  test.prop([fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1e6 })])(
    'windows lie inside the image, with area and aspect in range unless it fell back to the centre',
    (h, w, seed) => {
      const box = randomResizedCropBox(h, w, [0.08, 1], [3 / 4, 4 / 3], createRng(seed));
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.top + box.height).toBeLessThanOrEqual(h);
      expect(box.left + box.width).toBeLessThanOrEqual(w);
      expect(Math.min(box.height, box.width)).toBeGreaterThanOrEqual(1);
    },
  );

  it('draws areas across the scale range on a 32x32 image (CIFAR)', () => {
    const rng = createRng(5);
    const areas = Array.from({ length: 400 }, () => {
      const b = randomResizedCropBox(32, 32, [0.08, 1], [3 / 4, 4 / 3], rng);
      return (b.height * b.width) / 1024;
    });
    expect(Math.min(...areas)).toBeLessThan(0.15);
    expect(Math.max(...areas)).toBeGreaterThan(0.9);
    for (const a of areas) expect(a).toBeGreaterThan(0.05);
  });

  it('falls back to the centred window of the nearest allowed aspect when no attempt fits', () => {
    // A 2x20 strip with ratio fixed at 1: no square of area >= 0.5 * 40 fits, so the fallback is the
    // centred 2x2 window (in_ratio 10 > max ratio 1: height 2, width round(2 * 1)).
    expect(randomResizedCropBox(2, 20, [0.5, 1], [1, 1], createRng(1))).toEqual({ top: 0, left: 9, height: 2, width: 2 });
    expect(randomResizedCropBox(20, 2, [0.5, 1], [1, 1], createRng(1))).toEqual({ top: 9, left: 0, height: 2, width: 2 });
  });

  it('with scale 1 and ratio 1 on a square image reproduces the image exactly', () => {
    const img = image(6 * 6 * 3);
    const out = randomResizedCrop({ scale: [1, 1], ratio: [1, 1] })(img, [6, 6, 3], createRng(9));
    expect(Array.from(out)).toEqual(Array.from(img));
  });

  it('is deterministic under a seed, keeps the shape and the value range', () => {
    const img = image(8 * 10 * 3);
    const crop = randomResizedCrop();
    const a = crop(img, [8, 10, 3], createRng(42));
    const b = crop(img, [8, 10, 3], createRng(42));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(a.length).toBe(img.length);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThanOrEqual(1);
    expect(Array.from(crop(img, [8, 10, 3], createRng(43)))).not.toEqual(Array.from(a));
  });

  it('rounds like Python, half to even', () => {
    expect([0.5, 1.5, 2.5, -0.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, 2, 3]);
  });

  it('rejects bad ranges', () => {
    expect(() => randomResizedCrop({ scale: [0.5, 0.1] })).toThrow(/scale must be \[min, max\]/);
    expect(() => randomResizedCrop({ ratio: [0, 1] })).toThrow(/ratio must be \[min, max\] with 0 < min/);
    expect(() => randomResizedCrop({ scale: [0, 0] })).toThrow(/positive area/);
  });
});
