import { describe, expect, test } from 'vitest';
import { poolHistograms, rocGrid, tprAt } from './plot-data-summary';

describe('tprAt (reading a ROC curve on the averaging grid)', () => {
  const curve = { fpr: [0, 0, 0.5, 1], tpr: [0, 0.4, 0.8, 1] };
  test('the top of a vertical step, linear between points, 1 at the end', () => {
    expect(tprAt(curve, 0)).toBeCloseTo(0.4, 12);
    expect(tprAt(curve, 0.25)).toBeCloseTo(0.6, 12);
    expect(tprAt(curve, 0.5)).toBeCloseTo(0.8, 12);
    expect(tprAt(curve, 1)).toBeCloseTo(1, 12);
  });
  test('the grid runs from 0 to 1 in steps of 0.01', () => {
    const grid = rocGrid();
    expect(grid).toHaveLength(101);
    expect(grid[0]).toBe(0);
    expect(grid.at(-1)).toBe(1);
  });
});

describe('poolHistograms', () => {
  test('histograms of two trials on different edges pool onto shared edges, keeping every count', () => {
    const pooled = poolHistograms([
      { method: 'MSP', edges: [0, 1, 2], counts: { ID: [4, 6] }, clipped: { below: { ID: 1 }, above: { ID: 0 } } },
      { method: 'MSP', edges: [1, 2, 3], counts: { ID: [2, 8] }, clipped: { below: { ID: 0 }, above: { ID: 3 } } },
    ]);
    expect(pooled.edges[0]).toBe(0);
    expect(pooled.edges.at(-1)).toBe(3);
    expect(pooled.counts.ID!.reduce((a, b) => a + b, 0)).toBeCloseTo(20, 9);
    expect(pooled.clipped).toEqual({ below: { ID: 1 }, above: { ID: 3 } });
    expect(pooled.trials).toBe(2);
  });
  test('clipped counts are unknown (null) when one trial did not record them', () => {
    const pooled = poolHistograms([
      { method: 'MSP', edges: [0, 1], counts: { ID: [4] } },
      { method: 'MSP', edges: [0, 1], counts: { ID: [4] }, clipped: { below: { ID: 0 }, above: { ID: 0 } } },
    ]);
    expect(pooled.clipped).toBeNull();
  });
});
