// Patch scores back to pixels (the released code's `distribute_score`): every pixel gets the mean of
// the scores of the K x K patches (corners at stride S) that cover it; a pixel no patch covers gets 0.
// Computed with 2-D difference arrays (one corner update per patch, then prefix sums), so a map costs
// O(H W + patches) instead of O(patches K^2).

/** The grid of patch corners of side K at stride S in an H x W image: rows x cols patches. */
export function patchGridSize(H: number, W: number, K: number, S: number): [number, number] {
  return [Math.floor((H - K) / S) + 1, Math.floor((W - K) / S) + 1];
}

/**
 * The H x W map of one image from its patch scores `scores` [rows * cols] (patch (i, j) has its
 * top-left corner at (i S, j S)): each pixel the mean score of the patches covering it.
 */
export function distributeScores(
  scores: ArrayLike<number>,
  rows: number,
  cols: number,
  H: number,
  W: number,
  K: number,
  S: number,
): Float32Array {
  const sum = new Float64Array((H + 1) * (W + 1));
  const count = new Int32Array((H + 1) * (W + 1));
  const at = (r: number, c: number): number => r * (W + 1) + c;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = scores[i * cols + j]!;
      const r0 = i * S;
      const c0 = j * S;
      const r1 = Math.min(r0 + K, H);
      const c1 = Math.min(c0 + K, W);
      sum[at(r0, c0)]! += v;
      sum[at(r0, c1)]! -= v;
      sum[at(r1, c0)]! -= v;
      sum[at(r1, c1)]! += v;
      count[at(r0, c0)]! += 1;
      count[at(r0, c1)]! -= 1;
      count[at(r1, c0)]! -= 1;
      count[at(r1, c1)]! += 1;
    }
  }
  for (let r = 0; r <= H; r++) {
    for (let c = 1; c <= W; c++) {
      sum[at(r, c)]! += sum[at(r, c - 1)]!;
      count[at(r, c)]! += count[at(r, c - 1)]!;
    }
  }
  for (let r = 1; r <= H; r++) {
    for (let c = 0; c <= W; c++) {
      sum[at(r, c)]! += sum[at(r - 1, c)]!;
      count[at(r, c)]! += count[at(r - 1, c)]!;
    }
  }
  const map = new Float32Array(H * W);
  for (let r = 0; r < H; r++) {
    for (let c = 0; c < W; c++) {
      const n = count[at(r, c)]!;
      map[r * W + c] = n === 0 ? 0 : sum[at(r, c)]! / n;
    }
  }
  return map;
}
