import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { colorJitter } from './color-jitter.js';

const rgbImage = (pixels: number, seed: number) => {
  const rng = createRng(seed);
  return Float32Array.from({ length: pixels * 3 }, () => 0.1 + 0.6 * rng());
};

describe('colorJitter', () => {
  it('brightness alone scales every pixel by one factor in [1 - s, 1 + s] (the closed form)', () => {
    const img = rgbImage(30, 2); // values in [0.1, 0.7]: a factor <= 1.4 never clamps
    for (let seed = 0; seed < 20; seed++) {
      const out = colorJitter({ brightness: 0.4 })(img, [5, 6, 3], createRng(seed));
      const f = out[0]! / img[0]!;
      expect(f).toBeGreaterThanOrEqual(0.6 - 1e-6);
      expect(f).toBeLessThanOrEqual(1.4 + 1e-6);
      Array.from(out).forEach((v, i) => {
        expect(v).toBeCloseTo(Math.fround(img[i]! * f), 5);
      });
    }
  });

  it('is deterministic under a seed, keeps the shape and values in [0, 1], and applies with probability p', () => {
    const img = rgbImage(16, 3);
    const jitter = colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, p: 0.8 });
    const a = jitter(img, [4, 4, 3], createRng(7));
    expect(Array.from(jitter(img, [4, 4, 3], createRng(7)))).toEqual(Array.from(a));
    expect(a.length).toBe(img.length);
    const rng = createRng(11);
    let unchanged = 0;
    for (let i = 0; i < 500; i++) {
      const out = jitter(img, [4, 4, 3], rng);
      for (const v of out) expect(v >= 0 && v <= 1).toBe(true);
      if (out.every((v, j) => v === img[j])) unchanged++;
    }
    expect(unchanged).toBeGreaterThan(70); // about 100 of 500 (p = 0.8)
    expect(unchanged).toBeLessThan(130);
  });

  it('on grey images changes brightness and contrast only (saturation and hue draws are ignored)', () => {
    const grey = Float32Array.from([0.2, 0.4, 0.6, 0.3]);
    const withColour = colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 })(grey, [2, 2, 1], createRng(3));
    const out = Array.from(withColour);
    // brightness and contrast are affine with a common mean: the output is a * x + b for one a, b.
    const a = (out[1]! - out[0]!) / (grey[1]! - grey[0]!);
    const b = out[0]! - a * grey[0]!;
    out.forEach((v, i) => {
      expect(v).toBeCloseTo(a * grey[i]! + b, 5);
    });
    expect(() => colorJitter()(new Float32Array(8), [2, 2, 2], createRng(1))).toThrow(/2 channels/);
    expect(() => colorJitter({ hue: 0.6 })).toThrow(/hue must be a number in \[0, 0.5\]/);
    expect(() => colorJitter({ brightness: -1 })).toThrow(/brightness/);
    expect(() => colorJitter({ p: 2 })).toThrow(/p must be a number in \[0, 1\]/);
  });
});
