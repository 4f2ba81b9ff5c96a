import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { flipHorizontal, randomCropWithPadding, randomHorizontalFlip, rotate90, shiftImage } from './augment.js';

const image = (h: number, w: number, c: number): Float32Array => Float32Array.from({ length: h * w * c }, (_, i) => i + 1);

describe('rotate90', () => {
  test.prop([fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: -8, max: 8 })])(
    'four quarter turns are the identity and k turns compose additively',
    (n, c, k) => {
      const img = image(n, n, c);
      let r = img;
      for (let i = 0; i < 4; i++) r = rotate90(r, [n, n, c], 1);
      expect(Array.from(r)).toEqual(Array.from(img));
      expect(Array.from(rotate90(rotate90(img, [n, n, c], k), [n, n, c], 1))).toEqual(Array.from(rotate90(img, [n, n, c], k + 1)));
    },
  );

  it('turns counter-clockwise like numpy.rot90', () => {
    // [[1, 2], [3, 4]] -> rot90 -> [[2, 4], [1, 3]]
    expect(Array.from(rotate90(Float32Array.from([1, 2, 3, 4]), [2, 2, 1], 1))).toEqual([2, 4, 1, 3]);
    expect(Array.from(rotate90(Float32Array.from([1, 2, 3, 4]), [2, 2, 1], 2))).toEqual([4, 3, 2, 1]);
    expect(Array.from(rotate90(Float32Array.from([1, 2, 3, 4]), [2, 2, 1], 3))).toEqual([3, 1, 4, 2]);
    expect(rotate90(new Uint8Array([1, 2, 3, 4]), [2, 2, 1], 1)).toBeInstanceOf(Uint8Array);
    expect(() => rotate90(new Float32Array(6), [2, 3, 1], 1)).toThrow(/square/);
  });
});

describe('flips and crops', () => {
  it('flipHorizontal mirrors columns and keeps channels together', () => {
    // 1 x 3 x 2: pixels (1,2) (3,4) (5,6)
    expect(Array.from(flipHorizontal(Float32Array.from([1, 2, 3, 4, 5, 6]), [1, 3, 2]))).toEqual([5, 6, 3, 4, 1, 2]);
    const img = image(3, 4, 2);
    expect(Array.from(flipHorizontal(flipHorizontal(img, [3, 4, 2]), [3, 4, 2]))).toEqual(Array.from(img));
  });

  it('randomHorizontalFlip flips about half of the time', () => {
    const rng = createRng(1);
    const img = Float32Array.from([1, 2]);
    let flipped = 0;
    for (let i = 0; i < 2000; i++) if (randomHorizontalFlip()(img, [1, 2, 1], rng)[0] === 2) flipped++;
    expect(flipped).toBeGreaterThan(900);
    expect(flipped).toBeLessThan(1100);
  });

  test.prop([fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 1000 })])(
    'randomCropWithPadding is a shift by at most the padding, zero-filled',
    (padding, seed) => {
      const [h, w, c] = [6, 5, 2];
      const img = image(h, w, c);
      const out = randomCropWithPadding(padding)(img, [h, w, c], createRng(seed));
      // find the shift that explains the output
      let matches = 0;
      for (let dy = -padding; dy <= padding; dy++)
        for (let dx = -padding; dx <= padding; dx++)
          if (Array.from(shiftImage(img, [h, w, c], dy, dx)).join() === Array.from(out).join()) matches++;
      expect(matches).toBeGreaterThanOrEqual(1);
    },
  );

  it('shiftImage moves content and fills the border', () => {
    // 2 x 2 x 1 [[1, 2], [3, 4]] shifted by (dy, dx) = (1, 0): row 0 <- row 1
    expect(Array.from(shiftImage(Float32Array.from([1, 2, 3, 4]), [2, 2, 1], 1, 0, -1))).toEqual([3, 4, -1, -1]);
  });
});
