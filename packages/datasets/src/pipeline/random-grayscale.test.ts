import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { LUMA_WEIGHTS } from './color-adjust.js';
import { randomGrayscale } from './random-grayscale.js';

const rgbImage = (pixels: number, seed: number) => {
  const rng = createRng(seed);
  return Float32Array.from({ length: pixels * 3 }, () => 0.1 + 0.6 * rng());
};
const luma = (r: number, g: number, b: number) => LUMA_WEIGHTS[0] * r + LUMA_WEIGHTS[1] * g + LUMA_WEIGHTS[2] * b;

describe('randomGrayscale', () => {
  it('greys about p of the RGB images, deterministically, and refuses grey ones', () => {
    const img = rgbImage(4, 5);
    const rng = createRng(2);
    let greyed = 0;
    for (let i = 0; i < 1000; i++) {
      const out = randomGrayscale(0.2)(img, [2, 2, 3], rng);
      if (out[0] === out[1] && out[1] === out[2]) {
        greyed++;
        expect(out[0]).toBeCloseTo(luma(img[0]!, img[1]!, img[2]!), 6);
      }
    }
    expect(greyed).toBeGreaterThan(160);
    expect(greyed).toBeLessThan(240);
    expect(Array.from(randomGrayscale(0.5)(img, [2, 2, 3], createRng(4)))).toEqual(
      Array.from(randomGrayscale(0.5)(img, [2, 2, 3], createRng(4))),
    );
    expect(() => randomGrayscale(0.2)(new Float32Array(4), [2, 2, 1], rng)).toThrow(/RGB images \(3 channels\) only/);
    expect(() => randomGrayscale(1.5)).toThrow(/p must lie in \[0, 1\]/);
  });
});
