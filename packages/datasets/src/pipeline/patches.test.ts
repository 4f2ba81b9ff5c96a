import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { nearbyPairs, PATCH_DIRECTIONS, patchGrid, positionPairs, samplePatches } from './patches.js';

const H = 32;
const W = 40;
const C = 2;
/** pixel value encodes its position: 1000 y + 10 x + ch */
const img = Float32Array.from({ length: H * W * C }, (_, k) => {
  const ch = k % C;
  const x = Math.floor(k / C) % W;
  const y = Math.floor(k / (C * W));
  return 1000 * y + 10 * x + ch;
});

function checkPatchAt(patches: Float32Array, i: number, size: number, y: number, x: number): void {
  const base = i * size * size * C;
  expect(patches[base]).toBe(1000 * y + 10 * x);
  expect(patches[base + (size * size - 1) * C + 1]).toBe(1000 * (y + size - 1) + 10 * (x + size - 1) + 1);
}

describe('Patch-SVDD patch sampling', () => {
  test.prop([fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 16 })], { numRuns: 30 })(
    'samplePatches cuts the patch at the reported position',
    (seed, size) => {
      const { patches, positions } = samplePatches(img, [H, W, C], size, 10, createRng(seed));
      for (let i = 0; i < 10; i++) {
        const [y, x] = [positions[2 * i]!, positions[2 * i + 1]!];
        expect(y + size).toBeLessThanOrEqual(H);
        expect(x + size).toBeLessThanOrEqual(W);
        checkPatchAt(patches, i, size, y, x);
      }
    },
  );

  test.prop([fc.integer({ min: 0, max: 10_000 })], { numRuns: 30 })(
    'positionPairs: the second patch lies in the labelled direction, spacing +- jitter away',
    (seed) => {
      const size = 8;
      const { first, second, directions } = positionPairs(img, [H, W, C], { size, count: 16, rng: createRng(seed) });
      for (let i = 0; i < 16; i++) {
        const [y1, x1, y2, x2] = [
          first.positions[2 * i]!,
          first.positions[2 * i + 1]!,
          second.positions[2 * i]!,
          second.positions[2 * i + 1]!,
        ];
        const [dy, dx] = PATCH_DIRECTIONS[directions[i]!]!;
        expect(Math.abs(y2 - y1 - dy * 6)).toBeLessThanOrEqual(1);
        expect(Math.abs(x2 - x1 - dx * 6)).toBeLessThanOrEqual(1);
        checkPatchAt(first.patches, i, size, y1, x1);
        checkPatchAt(second.patches, i, size, y2, x2);
      }
    },
  );

  it('nearbyPairs stay within the jitter; patchGrid covers the image to the border', () => {
    const { first, second } = nearbyPairs(img, [H, W, C], 8, 20, 2, createRng(4));
    for (let i = 0; i < 40; i++) expect(Math.abs(first.positions[i]! - second.positions[i]!)).toBeLessThanOrEqual(2);
    const grid = patchGrid(10, 13, 4, 4);
    const ys = new Set<number>();
    const xs = new Set<number>();
    for (let i = 0; i < grid.length; i += 2) {
      ys.add(grid[i]!);
      xs.add(grid[i + 1]!);
    }
    expect([...ys]).toEqual([0, 4, 6]);
    expect([...xs]).toEqual([0, 4, 8, 9]);
    expect(() => positionPairs(img, [H, W, C], { size: 16, count: 1, rng: createRng(0) })).toThrow(/at least/);
  });
});
