import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { cropAndResize, resizeBilinear } from './bilinear-resize.js';

/** 1-D half-pixel interpolation weights [out, in] in float64 (PyTorch align_corners=False). */
function weights64(inSize: number, outSize: number): number[][] {
  return Array.from({ length: outSize }, (_, o) => {
    const row = new Array<number>(inSize).fill(0);
    const s = Math.min(Math.max(((o + 0.5) * inSize) / outSize - 0.5, 0), inSize - 1);
    const lo = Math.floor(s);
    row[lo]! += 1 - (s - lo);
    row[Math.min(lo + 1, inSize - 1)]! += s - lo;
    return row;
  });
}

/** out[c] = Wy . image[c] . Wx^T in float64: separable, an independent formulation of the same resize. */
function resize64(image: Float32Array, [h, w, c]: [number, number, number], outH: number, outW: number): number[] {
  const [wy, wx] = [weights64(h, outH), weights64(w, outW)];
  const out: number[] = [];
  for (let y = 0; y < outH; y++)
    for (let x = 0; x < outW; x++)
      for (let ch = 0; ch < c; ch++) {
        let v = 0;
        for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) v += wy[y]![i]! * wx[x]![j]! * image[(i * w + j) * c + ch]!;
        out.push(v);
      }
  return out;
}

describe('bilinear resize (half-pixel centres)', () => {
  it('matches PyTorch interpolate(align_corners=False) on a hand-checked row', () => {
    // [0, 1] to 4 samples: source positions -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    expect(Array.from(resizeBilinear(Float32Array.from([0, 1]), [1, 2, 1], 1, 4))).toEqual([0, 0.25, 0.75, 1]);
  });

  it('matches the float64 separable reference when enlarging and shrinking', () => {
    const rng = createRng(3);
    const image = Float32Array.from({ length: 4 * 5 * 3 }, () => rng());
    for (const [outH, outW] of [
      [7, 3],
      [2, 9],
      [4, 5],
    ] as const) {
      const got = resizeBilinear(image, [4, 5, 3], outH, outW);
      const want = resize64(image, [4, 5, 3], outH, outW);
      want.forEach((v, i) => {
        expect(got[i]).toBeCloseTo(v, 6);
      });
    }
  });

  it('is the identity, exactly, at the same size, and a crop never samples outside its window', () => {
    const image = Float32Array.from({ length: 3 * 4 * 2 }, (_, i) => Math.sin(i) * 7);
    expect(Array.from(resizeBilinear(image, [3, 4, 2], 3, 4))).toEqual(Array.from(image));
    // Window rows 1..2, column 2 of a 3x4 grey image, resized to 2x1: the window itself.
    const grey = Float32Array.from({ length: 12 }, (_, i) => i);
    expect(Array.from(cropAndResize(grey, [3, 4, 1], { top: 1, left: 2, height: 2, width: 1 }, 2, 1))).toEqual([6, 10]);
    expect(Array.from(cropAndResize(grey, [3, 4, 1], { top: 1, left: 2, height: 2, width: 1 }, 4, 1))).toEqual([6, 7, 9, 10]);
  });

  it('rejects windows outside the image', () => {
    const grey = new Float32Array(12);
    expect(() => cropAndResize(grey, [3, 4, 1], { top: 2, left: 0, height: 2, width: 1 }, 2, 2)).toThrow(/does not fit a 3x4 image/);
    expect(() => resizeBilinear(grey, [3, 4, 1], 0, 2)).toThrow(/sizes >= 1/);
    expect(() => resizeBilinear(new Float32Array(5), [3, 4, 1], 2, 2)).toThrow(/5 values, not 3x4x1/);
  });
});
