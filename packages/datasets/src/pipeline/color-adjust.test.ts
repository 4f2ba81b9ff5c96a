import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { adjustBrightness, adjustContrast, adjustHue, adjustSaturation, LUMA_WEIGHTS, toGrayscale } from './color-adjust.js';

const rgbImage = (pixels: number, seed: number) => {
  const rng = createRng(seed);
  return Float32Array.from({ length: pixels * 3 }, () => 0.1 + 0.6 * rng());
};
const luma = (r: number, g: number, b: number) => LUMA_WEIGHTS[0] * r + LUMA_WEIGHTS[1] * g + LUMA_WEIGHTS[2] * b;

describe('colour adjustments (torchvision functional)', () => {
  it('brightness, contrast and saturation follow their closed forms, clamped to [0, maxValue]', () => {
    const img = Float32Array.from([0.2, 0.4, 0.6, 0.8, 0.1, 0.3]); // 1x2 RGB
    expect(Array.from(adjustBrightness(img, [1, 2, 3], 1.5))).toEqual(Array.from(img, (v) => Math.fround(Math.min(1, v * 1.5))));
    const mean = (luma(0.2, 0.4, 0.6) + luma(0.8, 0.1, 0.3)) / 2;
    Array.from(adjustContrast(img, [1, 2, 3], 0.5)).forEach((v, i) => {
      expect(v).toBeCloseTo(0.5 * img[i]! + 0.5 * mean, 6);
    });
    const grey = [luma(0.2, 0.4, 0.6), luma(0.8, 0.1, 0.3)];
    Array.from(adjustSaturation(img, [1, 2, 3], 1.8)).forEach((v, i) => {
      expect(v).toBeCloseTo(Math.min(1, Math.max(0, 1.8 * img[i]! - 0.8 * grey[Math.floor(i / 3)]!)), 6);
    });
    expect(Array.from(adjustBrightness(Float32Array.from([100, 200]), [1, 2, 1], 1.5, 255))).toEqual([150, 255]);
  });

  it('hue turns pure red to green and blue by a third, and a zero shift is the identity', () => {
    const red = Float32Array.from([1, 0, 0]);
    expect(Array.from(adjustHue(red, [1, 1, 3], 1 / 3)).map((v) => Number(v.toFixed(6)))).toEqual([0, 1, 0]);
    expect(Array.from(adjustHue(red, [1, 1, 3], -1 / 3)).map((v) => Number(v.toFixed(6)))).toEqual([0, 0, 1]);
    const img = rgbImage(20, 1);
    Array.from(adjustHue(img, [4, 5, 3], 0)).forEach((v, i) => {
      expect(v).toBeCloseTo(img[i]!, 6);
    });
    // a hue change keeps each pixel's max (V) and min
    const shifted = adjustHue(img, [4, 5, 3], 0.23);
    for (let p = 0; p < 20; p++) {
      const a = img.subarray(3 * p, 3 * p + 3);
      const b = shifted.subarray(3 * p, 3 * p + 3);
      expect(Math.max(...b)).toBeCloseTo(Math.max(...a), 6);
      expect(Math.min(...b)).toBeCloseTo(Math.min(...a), 6);
    }
  });

  it('greyscale repeats the luma in three channels; RGB-only adjustments refuse grey images', () => {
    expect(Array.from(toGrayscale(Float32Array.from([1, 0, 0]), [1, 1, 3]))).toEqual([0.2989, 0.2989, 0.2989].map(Math.fround));
    expect(() => adjustSaturation(new Float32Array(4), [2, 2, 1], 1.2)).toThrow(/needs RGB \(3 channels\)/);
    expect(() => adjustHue(new Float32Array(3), [1, 1, 3], 0.7)).toThrow(/\[-0.5, 0.5\]/);
  });
});
