import { describe, expect, it } from 'vitest';
import { distributeScores, patchGridSize } from './distribute-scores';

/** The released code's loop: add each patch's score to the pixels it covers, count, divide (uncovered pixels 0). */
function bruteForce(scores: ArrayLike<number>, rows: number, cols: number, H: number, W: number, K: number, S: number): Float32Array {
  const sum = new Float64Array(H * W);
  const count = new Int32Array(H * W);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      for (let r = i * S; r < Math.min(i * S + K, H); r++) {
        for (let c = j * S; c < Math.min(j * S + K, W); c++) {
          sum[r * W + c]! += scores[i * cols + j]!;
          count[r * W + c]! += 1;
        }
      }
    }
  }
  return Float32Array.from(sum, (s, p) => (count[p] === 0 ? 0 : s / count[p]!));
}

describe('distributeScores', () => {
  it('equals the brute-force average over covering patches, for tiling and non-tiling strides', () => {
    for (const [H, W, K, S] of [
      [16, 16, 8, 4],
      [20, 12, 6, 3],
      [17, 13, 8, 4],
      [9, 9, 4, 5],
    ] as const) {
      const [rows, cols] = patchGridSize(H, W, K, S);
      const scores = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(3.7 * i) * 10 + i * 0.01);
      const fast = distributeScores(scores, rows, cols, H, W, K, S);
      const slow = bruteForce(scores, rows, cols, H, W, K, S);
      expect(fast.length).toBe(H * W);
      for (let p = 0; p < fast.length; p++) expect(fast[p]).toBeCloseTo(slow[p]!, 5);
    }
  });

  it('patchGridSize counts the corners at stride S', () => {
    expect(patchGridSize(128, 128, 64, 16)).toEqual([5, 5]);
    expect(patchGridSize(256, 256, 32, 4)).toEqual([57, 57]);
  });
});
