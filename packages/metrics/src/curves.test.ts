import { createUniformStream } from '@curvad/seeded-random';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { auroc } from './auroc';
import { auprIn, auprOut } from './average-precision';
import { downsampleCurve } from './downsample-curve';
import { MetricsError } from './errors';
import { prCurve } from './pr-curve';
import { rocCurve } from './roc-curve';

const tiedSamples = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.boolean()), { minLength: 2, maxLength: 60 })
  .filter((pairs) => pairs.some(([, y]) => y) && pairs.some(([, y]) => !y))
  .map((pairs) => ({ scores: pairs.map(([s]) => s), labels: pairs.map(([, y]) => y) }));

function trapezoid(x: Float64Array, y: Float64Array): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return area;
}

/** Largest distance from a point of the full curve to the piecewise-linear downsampled curve (same x-order). */
function maxDeviation(fx: Float64Array, fy: Float64Array, dx: Float64Array, dy: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < fx.length; i++) {
    let best = Infinity;
    for (let k = 1; k < dx.length; k++) {
      const ax = dx[k - 1]!;
      const ay = dy[k - 1]!;
      const vx = dx[k]! - ax;
      const vy = dy[k]! - ay;
      const l2 = vx * vx + vy * vy;
      const t = l2 > 0 ? Math.min(1, Math.max(0, ((fx[i]! - ax) * vx + (fy[i]! - ay) * vy) / l2)) : 0;
      best = Math.min(best, Math.hypot(fx[i]! - ax - t * vx, fy[i]! - ay - t * vy));
    }
    worst = Math.max(worst, best);
  }
  return worst;
}

describe('rocCurve', () => {
  it('hand case: thresholds, rates, and ties as a diagonal step', () => {
    const c = rocCurve([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0]);
    expect(Array.from(c.thresholds)).toEqual([Infinity, 0.9, 0.5, 0.1]);
    expect(Array.from(c.tpr)).toEqual([0, 0.5, 1, 1]);
    expect(Array.from(c.fpr)).toEqual([0, 0, 0.5, 1]);
    expect(c.auroc).toBe(0.875);
  });

  test.prop([tiedSamples], { numRuns: 200 })('its trapezoid area is the AUROC, from (0,0) to (1,1)', ({ scores, labels }) => {
    const c = rocCurve(scores, labels);
    expect(c.auroc).toBe(auroc(scores, labels));
    expect(trapezoid(c.fpr, c.tpr)).toBeCloseTo(c.auroc, 13);
    expect([c.fpr[0], c.tpr[0], c.fpr.at(-1), c.tpr.at(-1)]).toEqual([0, 0, 1, 1]);
  });
});

describe('prCurve', () => {
  it('hand case, anomalous positive', () => {
    const c = prCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect(Array.from(c.recall)).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(Array.from(c.precision)).toEqual([1, 1, 0.5, 2 / 3, 0.5]);
    expect(Array.from(c.thresholds)).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
  });

  it('hand case, normal positive: thresholds rise', () => {
    const c = prCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], { positive: 'normal' });
    expect(Array.from(c.thresholds)).toEqual([-Infinity, 0.1, 0.35, 0.4, 0.8]);
    expect(Array.from(c.recall)).toEqual([0, 0.5, 0.5, 1, 1]);
  });

  test.prop([tiedSamples], { numRuns: 200 })('its step-wise sum is the average precision', ({ scores, labels }) => {
    for (const positive of ['anomalous', 'normal'] as const) {
      const c = prCurve(scores, labels, { positive });
      let ap = 0;
      for (let k = 1; k < c.recall.length; k++) ap += (c.recall[k]! - c.recall[k - 1]!) * c.precision[k]!;
      const expected = positive === 'anomalous' ? auprOut(scores, labels) : auprIn(scores, labels);
      expect(c.averagePrecision).toBe(expected);
      expect(ap).toBeCloseTo(expected, 13);
    }
  });

  it('rejects an unknown positive class', () => {
    expect(() => prCurve([1, 2], [0, 1], { positive: 'ood' as 'normal' })).toThrow(MetricsError);
  });
});

describe('downsampleCurve', () => {
  // A smooth, realistic ROC: 5000 samples, two overlapping score distributions.
  const next = createUniformStream(9);
  const labels = Array.from({ length: 5000 }, () => (next() < 0.4 ? 1 : 0));
  const scores = labels.map((y) => next() + next() + next() + 0.8 * y);

  it('keeps the end points and the summary, respects the budget, and stays close to the full curve', () => {
    const full = rocCurve(scores, labels);
    const small = downsampleCurve(full, 50);
    expect(small.fpr.length).toBeLessThanOrEqual(50);
    expect(small.fpr.length).toBeGreaterThan(10);
    expect(small.auroc).toBe(full.auroc);
    expect([small.fpr[0], small.tpr[0], small.fpr.at(-1), small.tpr.at(-1)]).toEqual([0, 0, 1, 1]);
    expect(small.thresholds[0]).toBe(Infinity);
    for (let k = 1; k < small.fpr.length; k++) {
      expect(small.fpr[k]! >= small.fpr[k - 1]! && small.tpr[k]! >= small.tpr[k - 1]!).toBe(true);
    }
    // Kept points are points of the full curve with their own thresholds.
    const index = new Map(Array.from(full.thresholds, (t, i) => [t, i]));
    for (let k = 0; k < small.fpr.length; k++) {
      const i = index.get(small.thresholds[k]!)!;
      expect([small.fpr[k], small.tpr[k]]).toEqual([full.fpr[i], full.tpr[i]]);
    }
    expect(maxDeviation(full.fpr, full.tpr, small.fpr, small.tpr)).toBeLessThan(0.02);
    expect(Math.abs(trapezoid(small.fpr, small.tpr) - full.auroc)).toBeLessThan(0.01);
  });

  it('keeps the corner of a perfect ROC curve and the PR summary', () => {
    const s = Array.from({ length: 400 }, (_, i) => i);
    const y = s.map((v) => (v >= 300 ? 1 : 0));
    const roc = downsampleCurve(rocCurve(s, y), 3);
    expect(Array.from(roc.fpr)).toEqual([0, 0, 1]);
    expect(Array.from(roc.tpr)).toEqual([0, 1, 1]);
    const pr = prCurve(scores, labels, { positive: 'normal' });
    const prSmall = downsampleCurve(pr, 40);
    expect(prSmall.averagePrecision).toBe(pr.averagePrecision);
    expect(prSmall.positive).toBe('normal');
    expect(prSmall.recall.length).toBeLessThanOrEqual(40);
    expect(maxDeviation(pr.recall, pr.precision, prSmall.recall, prSmall.precision)).toBeLessThan(0.05);
  });

  it('thins very long curves by arc length first and still keeps the shape', () => {
    const n = 200_000;
    const big = rocCurve(
      Float64Array.from({ length: n }, (_, i) => i + (i % 3 === 0 ? n / 4 : 0)),
      Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0)),
    );
    const small = downsampleCurve(big, 20);
    expect(small.fpr.length).toBeLessThanOrEqual(20);
    expect([small.fpr[0], small.tpr.at(-1)]).toEqual([0, 1]);
    expect(maxDeviation(big.fpr.subarray(0, n / 100), big.tpr.subarray(0, n / 100), small.fpr, small.tpr)).toBeLessThan(0.01);
  });

  it('returns a short curve unchanged and rejects a budget below 2', () => {
    const c = rocCurve([1, 2, 3], [0, 1, 0]);
    expect(Array.from(downsampleCurve(c, 10).fpr)).toEqual(Array.from(c.fpr));
    expect(() => downsampleCurve(c, 1)).toThrow(/maxPoints/);
    expect(() => downsampleCurve(c, 2.5)).toThrow(MetricsError);
  });
});
