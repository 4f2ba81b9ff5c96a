import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetricsError } from './errors';
import { fprAtAnomalyRecall } from './fpr-at-anomaly-recall';
import { fprAtTpr } from './fpr-at-tpr';

/** A line-by-line port of anom_utils.fpr_and_fdr_at_recall (hendrycks/anomaly-seg), anomalies positive. */
function releasedFpr(scores: number[], labels: number[], level: number): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || b - a);
  const y = order.map((i) => labels[i]!);
  const s = order.map((i) => scores[i]!);
  const thresholdIdx: number[] = [];
  for (let i = 0; i < s.length - 1; i++) if (s[i] !== s[i + 1]) thresholdIdx.push(i);
  thresholdIdx.push(s.length - 1);
  const cumulative: number[] = [];
  y.reduce((acc, v, i) => {
    cumulative[i] = acc + v;
    return acc + v;
  }, 0);
  const tps = thresholdIdx.map((i) => cumulative[i]!);
  const fps = thresholdIdx.map((i, j) => 1 + i - tps[j]!);
  const total = tps[tps.length - 1]!;
  const recall = tps.map((t) => t / total);
  const lastInd = tps.findIndex((t) => t >= total);
  const rec: number[] = [];
  const fp: number[] = [];
  for (let i = lastInd; i >= 0; i--) {
    rec.push(recall[i]!);
    fp.push(fps[i]!);
  }
  rec.push(1);
  fp.push(0);
  let cutoff = 0;
  for (let i = 1; i < rec.length; i++) if (Math.abs(rec[i]! - level) < Math.abs(rec[cutoff]! - level)) cutoff = i;
  return fp[cutoff]! / labels.filter((l) => l === 0).length;
}

describe('fprAtAnomalyRecall', () => {
  it('hand example: 20 anomalies, the 19th caught at 0.5, normals above it counted', () => {
    // Anomalies 1..20 scored 20..1 (20 is the highest); normals at 0.5 x 3 and 19.5 once.
    const scores = [...Array.from({ length: 20 }, (_, i) => 20 - i), 19.5, 0.5, 0.5, 0.5];
    const labels = [...Array<number>(20).fill(1), 0, 0, 0, 0];
    // Recall 19/20 = 0.95 exactly at score 2: flagged normals = the one at 19.5 -> 1/4.
    expect(fprAtAnomalyRecall(scores, labels)).toBe(0.25);
    // The normal-positive convention answers another question: accepting all 4 normals (t = 19.5)
    // accepts the 19 anomalies scored 19..1 as normal.
    expect(fprAtTpr(scores, labels)).toBe(19 / 20);
  });

  it('picks the nearest recall, which may lie below the level', () => {
    // 3 anomalies: recalls 1/3, 2/3, 1; nearest to 0.7 is 2/3 (below), with one normal above it.
    const scores = [0.9, 0.8, 0.85, 0.1, 0.05];
    const labels = [1, 1, 0, 1, 0];
    expect(fprAtAnomalyRecall(scores, labels, 0.7)).toBe(0.5);
    // A normal-only threshold at the same recall is looser: the released scan keeps it (ties go looser).
    expect(fprAtAnomalyRecall([0.9, 0.8, 0.85, 0.1, 0.2], labels, 0.7)).toBe(1);
  });

  it('equals the released code on random scores with ties (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.boolean()), { minLength: 2, maxLength: 40 }),
        fc.constantFrom(0.95, 0.5, 0.8, 1),
        (pairs, level) => {
          const scores = pairs.map(([s]) => s / 2);
          const labels = pairs.map(([, a]) => (a ? 1 : 0));
          if (!labels.includes(1) || !labels.includes(0)) return;
          expect(fprAtAnomalyRecall(scores, labels, level)).toBe(releasedFpr(scores, labels, level));
        },
      ),
      { numRuns: 300, seed: 16 },
    );
  });

  it('refuses a percentage level and one-class input with MetricsError', () => {
    expect(() => fprAtAnomalyRecall([1, 2], [0, 1], 95)).toThrow(/0.95 \(not 95\)/);
    expect(() => fprAtAnomalyRecall([1, 2], [1, 1])).toThrow(MetricsError);
  });
});
