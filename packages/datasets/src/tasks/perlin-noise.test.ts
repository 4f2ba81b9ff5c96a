import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { perlinNoise, perlinNoiseFromGradients, perlinNoiseGrid } from './perlin-noise.js';

const CELLS_Y = 3;
const CELLS_X = 4;

describe('perlinNoise', () => {
  it('is exactly 0 at every lattice point', () => {
    const noise = perlinNoise(createRng(5), CELLS_Y, CELLS_X);
    for (let y = 0; y <= CELLS_Y; y++) for (let x = 0; x <= CELLS_X; x++) expect(Math.abs(noise(y, x))).toBe(0);
  });

  it('leaves each lattice point with slope sqrt(2) times its gradient (the gradients are the ones given)', () => {
    const rng = createRng(9);
    const gradients = Float64Array.from({ length: 2 * (CELLS_Y + 1) * (CELLS_X + 1) }, () => rng() * 2 - 1);
    const noise = perlinNoiseFromGradients(gradients, CELLS_Y, CELLS_X);
    const h = 1e-6;
    for (let y = 0; y < CELLS_Y; y++) {
      for (let x = 0; x < CELLS_X; x++) {
        const at = 2 * (y * (CELLS_X + 1) + x);
        expect(noise(y + h, x) / h).toBeCloseTo(Math.SQRT2 * gradients[at]!, 4);
        expect(noise(y, x + h) / h).toBeCloseTo(Math.SQRT2 * gradients[at + 1]!, 4);
      }
    }
  });

  it('reaches 1 at a cell centre whose four gradients point at it (the range bound is tight)', () => {
    const s = Math.SQRT1_2;
    // corners (0,0), (0,1), (1,0), (1,1): each gradient points at (0.5, 0.5)
    const noise = perlinNoiseFromGradients(Float64Array.from([s, s, s, -s, -s, s, -s, -s]), 1, 1);
    expect(noise(0.5, 0.5)).toBeCloseTo(1, 12);
  });

  it('stays in [-1, 1] and is continuous, across cell borders too', () => {
    for (const seed of [1, 2, 3]) {
      const rng = createRng(seed);
      const noise = perlinNoise(rng, CELLS_Y, CELLS_X);
      for (let k = 0; k < 2000; k++) {
        const y = rng() * CELLS_Y;
        const x = rng() * CELLS_X;
        const v = noise(y, x);
        expect(Math.abs(v)).toBeLessThanOrEqual(1);
        // a step of 1e-5 moves the value by at most a few 1e-5 (bounded slope)
        expect(Math.abs(noise(y + 1e-5, x - 1e-5) - v)).toBeLessThan(1e-4);
      }
      for (let line = 1; line < CELLS_X; line++) {
        for (const y of [0.3, 1.7, 2.9]) expect(Math.abs(noise(y, line - 1e-9) - noise(y, line + 1e-9))).toBeLessThan(1e-8);
      }
      for (let line = 1; line < CELLS_Y; line++) {
        for (const x of [0.2, 2.5, 3.8]) expect(Math.abs(noise(line - 1e-9, x) - noise(line + 1e-9, x))).toBeLessThan(1e-8);
      }
    }
  });

  it('is the same for the same seed and differs for another', () => {
    const a = perlinNoiseGrid(perlinNoise(createRng(4), 2, 2), 8, 8);
    const b = perlinNoiseGrid(perlinNoise(createRng(4), 2, 2), 8, 8);
    const c = perlinNoiseGrid(perlinNoise(createRng(5), 2, 2), 8, 8);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('samples pixel (y, x) of the grid at lattice point (y cellsY / height, x cellsX / width)', () => {
    const noise = perlinNoise(createRng(6), 2, 4);
    const grid = perlinNoiseGrid(noise, 6, 8);
    for (let y = 0; y < 6; y++) for (let x = 0; x < 8; x++) expect(grid[y * 8 + x]).toBe(noise((y * 2) / 6, (x * 4) / 8));
    // pixels on lattice lines of both axes are lattice points: 0
    expect([grid[0], grid[3 * 8 + 2], grid[3 * 8 + 6]].map(Math.abs)).toEqual([0, 0, 0]);
  });

  it('rejects bad lattices and grids with a DatasetError', () => {
    expect(() => perlinNoise(createRng(0), 0, 2)).toThrow(/cells must be integers >= 1, got 0 x 2/);
    expect(() => perlinNoiseFromGradients(new Float64Array(4), 1, 1)).toThrow(/needs 8 gradient values/);
    expect(() => perlinNoiseGrid(perlinNoise(createRng(0), 1, 1), 0, 3)).toThrow(/height and width must be integers >= 1/);
  });
});
