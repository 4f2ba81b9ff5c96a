import { describe, expect, test } from 'vitest';
import { HISTOGRAM_BINS, rocPlot, scoreHistogram } from './plot-data';

describe('scoreHistogram', () => {
  test('scores outside the quantile range are counted as clipped per set, not piled into the end bins', () => {
    // 1000 ID scores in [0, 1) and 1000 OOD scores in [1, 2), plus 5 far outliers on each side
    // (fewer than the 0.5% tail cut, so the range stays on the bulk).
    const id = Float32Array.from({ length: 1000 }, (_, i) => i / 1000);
    const ood = Float32Array.from({ length: 1000 }, (_, i) => 1 + i / 1000);
    const idWithOutliers = Float32Array.from([...id, ...new Array<number>(5).fill(-1e6)]);
    const oodWithOutliers = Float32Array.from([...ood, ...new Array<number>(5).fill(1e6)]);
    const h = scoreHistogram('MSP', [
      { name: 'ID', scores: idWithOutliers },
      { name: 'A', scores: oodWithOutliers },
    ]);
    expect(h.edges).toHaveLength(HISTOGRAM_BINS + 1);
    const binned = (set: string) => h.counts[set]!.reduce((a, b) => a + b, 0);
    expect(h.clipped!.below.ID).toBeGreaterThanOrEqual(5);
    expect(h.clipped!.above.A).toBeGreaterThanOrEqual(5);
    // Every score is either binned or counted as clipped, exactly once.
    for (const [set, n] of [
      ['ID', idWithOutliers.length],
      ['A', oodWithOutliers.length],
    ] as const) {
      expect(binned(set) + h.clipped!.below[set]! + h.clipped!.above[set]!).toBe(n);
    }
    // No end spike: the first bin holds no more than its share of the uniform ID scores (about 50).
    expect(h.counts.ID![0]!).toBeLessThan(80);
    expect(h.counts.A![HISTOGRAM_BINS - 1]!).toBeLessThan(80);
  });

  test('a score equal to the upper edge is binned in the last bin', () => {
    const h = scoreHistogram('x', [{ name: 'ID', scores: Float32Array.from([0, 1, 2, 3]) }]);
    expect(h.clipped!.above.ID! + h.counts.ID!.reduce((a, b) => a + b, 0)).toBe(4);
    expect(h.counts.ID![HISTOGRAM_BINS - 1]).toBeGreaterThan(0);
  });
});

describe('rocPlot', () => {
  test('records the exact AUROC of the full curve', () => {
    const plot = rocPlot('MSP', 'A', Float32Array.from([0.1, 0.2, 0.6]), Float32Array.from([0.5, 0.7, 0.9]));
    // 9 (ID, OOD) pairs, the OOD score is higher in 8 of them (0.6 > 0.5 is the miss).
    expect(plot.auroc).toBeCloseTo(8 / 9, 12);
    expect(plot.fpr[0]).toBe(0);
    expect(plot.tpr.at(-1)).toBe(1);
  });
});
