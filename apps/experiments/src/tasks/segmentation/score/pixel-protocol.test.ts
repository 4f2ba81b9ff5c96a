import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POOLED_SET, perImageProtocol, pixelMetricSets, pooledProtocol } from './pixel-protocol';

/**
 * The StreetHazards metrics of one image from their definitions, anomalous pixels positive and a
 * pixel flagged at threshold t when its score >= t, every distinct score a threshold; O(n^2).
 */
function bruteForce(scores: number[], anomalous: boolean[]): { fpr95: number; auroc: number; aupr: number } {
  const pos = scores.filter((_, i) => anomalous[i]);
  const neg = scores.filter((_, i) => !anomalous[i]);
  // AUROC: the chance that an anomalous pixel outscores a normal one, ties counted 1/2.
  let wins = 0;
  for (const a of pos) for (const n of neg) wins += a > n ? 1 : a === n ? 0.5 : 0;
  const auroc = wins / (pos.length * neg.length);
  const thresholds = [...new Set(scores)].sort((a, b) => b - a);
  const at = (t: number) => ({ tp: pos.filter((s) => s >= t).length, fp: neg.filter((s) => s >= t).length });
  // AUPR: average precision, sum over thresholds (strictest first) of the recall gained times the precision there.
  let aupr = 0;
  let recalled = 0;
  for (const t of thresholds) {
    const { tp, fp } = at(t);
    aupr += ((tp - recalled) / pos.length) * (tp / (tp + fp));
    recalled = tp;
  }
  // FPR95: the threshold whose recall is nearest 0.95, looking no further than the strictest one that
  // catches every anomalous pixel; on a tie the looser threshold (the released code's scan).
  let fpr95 = Number.NaN;
  let nearest = Number.POSITIVE_INFINITY;
  for (const t of thresholds) {
    const { tp, fp } = at(t);
    const distance = Math.abs(tp / pos.length - 0.95);
    if (distance <= nearest) {
      nearest = distance;
      fpr95 = fp / neg.length;
    }
    if (tp === pos.length) break;
  }
  return { fpr95, auroc, aupr };
}

/** The protocol by brute force: per image with both kinds of pixel, then the mean of each metric. */
function bruteForceProtocol(scores: Float32Array, masks: Uint8Array, images: number, pixels: number) {
  const per: ReturnType<typeof bruteForce>[] = [];
  for (let i = 0; i < images; i++) {
    const s = Array.from(scores.subarray(i * pixels, (i + 1) * pixels));
    const m = Array.from(masks.subarray(i * pixels, (i + 1) * pixels), (v) => v === 1);
    if (m.every((v) => v) || m.every((v) => !v)) continue;
    per.push(bruteForce(s, m));
  }
  const mean = (key: keyof (typeof per)[number]) => per.reduce((a, p) => a + p[key], 0) / per.length;
  return { fpr95: mean('fpr95'), auroc: mean('auroc'), aupr: mean('aupr'), evaluated: per.length };
}

describe('the StreetHazards per-image protocol against a from-scratch brute force', () => {
  it('hand case: a one-class image is left out; the others averaged', () => {
    // Image 0: anomalies at 3 and 2, normals at 2, 1, 0, 0 -> AUROC (4 + 3.5) / 8, AP (1/2)(1) + (1/2)(2/3).
    // Image 1: every pixel normal (skipped). Image 2: anomaly 0 below normals 1, 1, 1, 1, 1 -> AUROC 0, AP 1/6.
    const maps = Float32Array.of(3, 2, 2, 1, 0, 0, 5, 5, 5, 5, 5, 5, 0, 1, 1, 1, 1, 1);
    const masks = Uint8Array.of(1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0);
    const { metrics, evaluatedImages } = perImageProtocol({ maps, masks, shape: [3, 2, 3] });
    expect(evaluatedImages).toBe(2);
    expect(metrics.auroc).toBeCloseTo((7.5 / 8 + 0) / 2, 12);
    expect(metrics.auprOut).toBeCloseTo((0.5 + 0.5 * (2 / 3) + 1 / 6) / 2, 12);
    // Image 0: recall 1/2 (t = 3, FPR 0) or 1 (t = 2, FPR 1/4): 1 is nearer 0.95. Image 2: recall 1 at t = 0, FPR 1.
    expect(metrics.fpr95).toBeCloseTo((1 / 4 + 1) / 2, 12);
    expect(bruteForceProtocol(maps, masks, 3, 6)).toMatchObject({ evaluated: 2, auroc: metrics.auroc, fpr95: metrics.fpr95 });
  });

  it('equals the brute force on random score maps with ties, per image and pooled (property)', () => {
    const image = fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 })), { minLength: 12, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(image, { minLength: 1, maxLength: 5 }), (images) => {
        // Anomalous where the second draw is 0 (about a quarter of the pixels); some images hold one kind only.
        const maps = Float32Array.from(images.flat(), ([s]) => s / 2);
        const masks = Uint8Array.from(images.flat(), ([, a]) => (a === 0 ? 1 : 0));
        const expected = bruteForceProtocol(maps, masks, images.length, 12);
        fc.pre(expected.evaluated > 0);
        const { metrics, evaluatedImages } = perImageProtocol({ maps, masks, shape: [images.length, 3, 4] });
        expect(evaluatedImages).toBe(expected.evaluated);
        expect(metrics.fpr95).toBeCloseTo(expected.fpr95, 12);
        expect(metrics.auroc).toBeCloseTo(expected.auroc, 12);
        expect(metrics.auprOut).toBeCloseTo(expected.aupr, 12);
        const pooled = bruteForceProtocol(maps, masks, 1, maps.length);
        const pooledMetrics = pooledProtocol({ maps, masks, shape: [images.length, 3, 4] });
        expect(pooledMetrics.fpr95).toBeCloseTo(pooled.fpr95, 12);
        expect(pooledMetrics.auroc).toBeCloseTo(pooled.auroc, 12);
        expect(pooledMetrics.auprOut).toBeCloseTo(pooled.aupr, 12);
        expect(pixelMetricSets({ maps, masks, shape: [images.length, 3, 4] })[POOLED_SET]).toEqual(pooledMetrics);
      }),
      { numRuns: 300, seed: 16 },
    );
  });
});
