// 2-D Perlin gradient noise, the mask generator of DRAEM (Zavrtanik et al. 2021, `rand_perlin_2d` in
// their code): a lattice of random unit gradients, each cell's value the fade-weighted blend of the
// four corner dot products, with Perlin's quintic fade 6t^5 - 15t^4 + 10t^3 (Perlin 2002). As in
// DRAEM the blend is scaled by sqrt(2): with unit gradients 2-D Perlin noise lies in
// [-sqrt(2)/2, sqrt(2)/2], so the scaled noise lies in [-1, 1] and DRAEM's threshold 0.5 applies.
// The noise is exactly 0 at every lattice point and continuous (C2) everywhere.
import { DatasetError } from '../errors.js';
import type { Rng } from '../random.js';

/** DRAEM's range scale: maps 2-D unit-gradient Perlin noise from [-sqrt(2)/2, sqrt(2)/2] onto [-1, 1]. */
const RANGE_SCALE = Math.SQRT2;

/** A noise function over lattice coordinates y in [0, cellsY], x in [0, cellsX]. */
export interface PerlinNoise {
  (y: number, x: number): number;
  readonly cellsY: number;
  readonly cellsX: number;
}

function fade(t: number): number {
  return t * t * t * (t * (t * 6 - 15) + 10);
}

function checkCells(cellsY: number, cellsX: number, what: string): void {
  if (!Number.isInteger(cellsY) || !Number.isInteger(cellsX) || cellsY < 1 || cellsX < 1) {
    throw new DatasetError(`${what}: cells must be integers >= 1, got ${cellsY} x ${cellsX}.`);
  }
}

/**
 * Perlin noise over a lattice of `cellsY` x `cellsX` cells with the given gradients: `gradients` holds
 * (gy, gx) for each of the (cellsY + 1) x (cellsX + 1) lattice points, row-major. Coordinates outside
 * the lattice are clamped to it.
 */
export function perlinNoiseFromGradients(gradients: Float64Array, cellsY: number, cellsX: number): PerlinNoise {
  checkCells(cellsY, cellsX, 'perlinNoiseFromGradients');
  const points = (cellsY + 1) * (cellsX + 1);
  if (gradients.length !== 2 * points) {
    throw new DatasetError(
      `perlinNoiseFromGradients: a ${cellsY} x ${cellsX} lattice needs ${2 * points} gradient values ((cellsY + 1) x (cellsX + 1) points, 2 each), got ${gradients.length}.`,
    );
  }
  const stride = cellsX + 1;
  const corner = (iy: number, ix: number, dy: number, dx: number): number => {
    const at = 2 * (iy * stride + ix);
    return gradients[at]! * dy + gradients[at + 1]! * dx;
  };
  const noise = (y: number, x: number): number => {
    const cy = Math.min(Math.max(y, 0), cellsY);
    const cx = Math.min(Math.max(x, 0), cellsX);
    // the last lattice line belongs to the cell before it, so the far edge is covered too
    const iy = Math.min(Math.floor(cy), cellsY - 1);
    const ix = Math.min(Math.floor(cx), cellsX - 1);
    const ty = cy - iy;
    const tx = cx - ix;
    const n00 = corner(iy, ix, ty, tx);
    const n01 = corner(iy, ix + 1, ty, tx - 1);
    const n10 = corner(iy + 1, ix, ty - 1, tx);
    const n11 = corner(iy + 1, ix + 1, ty - 1, tx - 1);
    const fx = fade(tx);
    const top = n00 + (n01 - n00) * fx;
    const bottom = n10 + (n11 - n10) * fx;
    return RANGE_SCALE * (top + (bottom - top) * fade(ty));
  };
  return Object.assign(noise, { cellsY, cellsX });
}

/** Seeded Perlin noise: gradients of unit length at uniform random angles, as DRAEM draws them. */
export function perlinNoise(rng: Rng, cellsY: number, cellsX: number): PerlinNoise {
  checkCells(cellsY, cellsX, 'perlinNoise');
  const gradients = new Float64Array(2 * (cellsY + 1) * (cellsX + 1));
  for (let p = 0; p < gradients.length; p += 2) {
    const angle = 2 * Math.PI * rng();
    gradients[p] = Math.sin(angle);
    gradients[p + 1] = Math.cos(angle);
  }
  return perlinNoiseFromGradients(gradients, cellsY, cellsX);
}

/**
 * The noise sampled on a `height` x `width` pixel grid spanning the lattice (DRAEM's layout): pixel
 * (y, x) takes the noise at (y * cellsY / height, x * cellsX / width), so pixel (0, 0) is a lattice
 * point. Row-major, one value per pixel.
 */
export function perlinNoiseGrid(noise: PerlinNoise, height: number, width: number): Float64Array {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new DatasetError(`perlinNoiseGrid: height and width must be integers >= 1, got ${height} x ${width}.`);
  }
  const out = new Float64Array(height * width);
  for (let y = 0; y < height; y++) {
    const ly = (y * noise.cellsY) / height;
    for (let x = 0; x < width; x++) out[y * width + x] = noise(ly, (x * noise.cellsX) / width);
  }
  return out;
}
