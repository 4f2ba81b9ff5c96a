// O(n^2) reference implementations written straight from the definitions in DESIGN.md, used only
// by the tests to check the O(n log n) code. Anomalous = label 1/true; higher score = more anomalous.

export function isAnomalousLabel(label: number | boolean): boolean {
  return label === 1 || label === true;
}

/** AUROC by counting pairs: returns twice the number of (anomalous > normal) pairs plus ties. */
export function bruteAuroc(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): number {
  let twice = 0;
  let p = 0;
  let q = 0;
  for (let i = 0; i < scores.length; i++) {
    if (isAnomalousLabel(labels[i]!)) p++;
    else q++;
  }
  for (let i = 0; i < scores.length; i++) {
    if (!isAnomalousLabel(labels[i]!)) continue;
    for (let j = 0; j < scores.length; j++) {
      if (isAnomalousLabel(labels[j]!)) continue;
      if (scores[i]! > scores[j]!) twice += 2;
      else if (scores[i] === scores[j]) twice += 1;
    }
  }
  return twice / (2 * p * q);
}

function distinctDescending(scores: ArrayLike<number>): number[] {
  return [...new Set(Array.from(scores, (s) => s + 0))].sort((a, b) => b - a);
}

/** Average precision by definition: sum over distinct thresholds of (R_k - R_{k-1}) P_k. */
export function bruteAveragePrecision(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const totalPositive = Array.from(positive).filter(Boolean).length;
  let previousRecall = 0;
  let ap = 0;
  for (const t of distinctDescending(scores)) {
    let tp = 0;
    let flagged = 0;
    for (let i = 0; i < scores.length; i++) {
      if (scores[i]! >= t) {
        flagged++;
        if (positive[i]) tp++;
      }
    }
    const recall = tp / totalPositive;
    ap += (recall - previousRecall) * (tp / flagged);
    previousRecall = recall;
  }
  return ap;
}

function acceptedAt(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>, t: number) {
  let normal = 0;
  let anomalous = 0;
  let totalNormal = 0;
  let totalAnomalous = 0;
  for (let i = 0; i < scores.length; i++) {
    const a = isAnomalousLabel(labels[i]!);
    if (a) totalAnomalous++;
    else totalNormal++;
    if (scores[i]! <= t) {
      if (a) anomalous++;
      else normal++;
    }
  }
  return { tpr: normal / totalNormal, fpr: anomalous / totalAnomalous };
}

/** FPR at TPR by trying every distinct score as threshold (accept as normal when score <= t). */
export function bruteFprAtTpr(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>, level: number): number {
  let best = Infinity;
  let answer = NaN;
  for (const t of distinctDescending(scores)) {
    const { tpr, fpr } = acceptedAt(scores, labels, t);
    if (tpr >= level && t < best) {
      best = t;
      answer = fpr;
    }
  }
  return answer;
}

/** Detection error by trying every distinct score, and "accept nothing". */
export function bruteDetectionError(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>): number {
  let best = 0.5;
  for (const t of distinctDescending(scores)) {
    const { tpr, fpr } = acceptedAt(scores, labels, t);
    best = Math.min(best, 0.5 * (1 - tpr) + 0.5 * fpr);
  }
  return best;
}
