import { createRng, PATCH_DIRECTIONS } from '@curvad/datasets';
import { describe, expect, it } from 'vitest';
import { type FloatImages, positionPairs, svddJitter, svddPairs } from './patch-pairs';

/** Images whose pixel value encodes (image, row, column, channel), so a patch's content names its place. */
function codedImages(n: number, H: number, W: number, C: number): FloatImages {
  const pixels = new Float32Array(n * H * W * C);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < H; r++)
      for (let c = 0; c < W; c++) for (let ch = 0; ch < C; ch++) pixels[((i * H + r) * W + c) * C + ch] = i * 1e6 + r * 1e3 + c + ch * 0.5;
  return { pixels, shape: [n, H, W, C] };
}

describe('patch pairs', () => {
  it('position pairs: the second patch lies 3K/4 + [0, K/4) along the labelled direction (clipped), both patches cut pixel-exactly', () => {
    const [H, W, C, K] = [96, 80, 2, 16];
    const images = codedImages(3, H, W, C);
    const pairs = positionPairs(images, K, 400, createRng(5));
    const seen = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const label = pairs.labels![i]!;
      seen.add(label);
      const [y, x] = [pairs.firstAt[2 * i]!, pairs.firstAt[2 * i + 1]!];
      const [y2, x2] = [pairs.secondAt[2 * i]!, pairs.secondAt[2 * i + 1]!];
      const [dy, dx] = PATCH_DIRECTIONS[label]!;
      for (const [d, a, b, limit] of [
        [dy, y, y2, H - K],
        [dx, x, x2, W - K],
      ] as const) {
        if (d === 0) expect(b).toBe(a);
        else if (b !== 0 && b !== limit) {
          const step = d * (b - a);
          expect(step).toBeGreaterThanOrEqual(12);
          expect(step).toBeLessThan(16);
        }
      }
      // the first pixel of each patch encodes its image and corner
      const first = pairs.first[i * K * K * C]!;
      const second = pairs.second[i * K * K * C]!;
      const image = Math.floor(first / 1e6);
      expect(first).toBe(image * 1e6 + y * 1e3 + x);
      expect(second).toBe(image * 1e6 + y2 * 1e3 + x2);
      expect(pairs.first[i * K * K * C + (K - 1) * K * C + (K - 1) * C + 1]).toBe(image * 1e6 + (y + K - 1) * 1e3 + x + K - 1 + 0.5);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('SVDD pairs: a nearby patch at most K/32 (>= 1) away per axis, never the same corner unless clipped', () => {
    const [H, W, C, K] = [70, 70, 1, 64];
    const pairs = svddPairs(codedImages(2, H, W, C), K, 300, createRng(9));
    expect(svddJitter(64)).toBe(2);
    expect(svddJitter(16)).toBe(1);
    let moved = 0;
    for (let i = 0; i < 300; i++) {
      const dy = pairs.secondAt[2 * i]! - pairs.firstAt[2 * i]!;
      const dx = pairs.secondAt[2 * i + 1]! - pairs.firstAt[2 * i + 1]!;
      expect(Math.abs(dy)).toBeLessThanOrEqual(2);
      expect(Math.abs(dx)).toBeLessThanOrEqual(2);
      if (dy !== 0 || dx !== 0) moved++;
    }
    expect(moved).toBeGreaterThan(200);
  });
});
