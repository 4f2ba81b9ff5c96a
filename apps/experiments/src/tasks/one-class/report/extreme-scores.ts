/** The rows of the `k` highest and the `k` lowest scores, in that order (highest first; lowest first). */
export interface ExtremeRows {
  highest: number[];
  lowest: number[];
}

/**
 * The indices of the k largest and k smallest `scores` (NaN scores are skipped). Ties go to the
 * lower index, so the choice does not depend on the sort's implementation.
 */
export function extremeRows(scores: ArrayLike<number>, k: number): ExtremeRows {
  const rows = Array.from({ length: scores.length }, (_, i) => i).filter((i) => !Number.isNaN(scores[i]));
  const ascending = [...rows].sort((a, b) => scores[a]! - scores[b]! || a - b);
  const descending = [...rows].sort((a, b) => scores[b]! - scores[a]! || a - b);
  return { highest: descending.slice(0, k), lowest: ascending.slice(0, k) };
}
