import { expect, test } from 'vitest';
import { noiseImages } from './noise-images';

test('noiseImages: seeded float32 in [0, 1] of the ID image size', () => {
  const uniform = noiseImages('uniform', 3, [10, 4, 4, 1], 7);
  expect(uniform.shape).toEqual([3, 4, 4, 1]);
  expect(uniform.x).toBeInstanceOf(Float32Array);
  expect(uniform.x.every((v) => v >= 0 && v <= 1)).toBe(true);
  expect(noiseImages('uniform', 3, [10, 4, 4, 1], 7).x).toEqual(uniform.x);
  const gaussian = noiseImages('gaussian', 50, [1, 4, 4, 1], 7).x;
  // N(0.5, 1) clipped: a good share of the pixels sits exactly on the bounds.
  expect(gaussian.filter((v) => v === 0 || v === 1).length).toBeGreaterThan(100);
});
