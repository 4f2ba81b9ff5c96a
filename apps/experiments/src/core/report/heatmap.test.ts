import { describe, expect, it } from 'vitest';
import { HEATMAP_ANCHORS, heatmapColor, heatmapRgb, normalizedScore, scoreRange } from './heatmap';

describe('heatmap', () => {
  it('normalizes over every map given, leaving non-finite scores out of the range', () => {
    const range = scoreRange([Float32Array.of(2, Number.NaN, 4), [6, Number.POSITIVE_INFINITY, 3]]);
    expect(range).toEqual({ min: 2, max: 6 });
    expect([2, 3, 4, 6, 8, 0].map((s) => normalizedScore(s, range))).toEqual([0, 0.25, 0.5, 1, 1, 0]);
    expect(normalizedScore(Number.NaN, range)).toBe(0);
    expect(normalizedScore(Number.POSITIVE_INFINITY, range)).toBe(1);
    expect(normalizedScore(Number.NEGATIVE_INFINITY, range)).toBe(0);
    // A constant map has no ranking to show: all at the normal end.
    expect(normalizedScore(5, scoreRange([[5, 5]]))).toBe(0);
    expect(scoreRange([[Number.NaN]])).toEqual({ min: 0, max: 0 });
  });

  it('maps 0 and 1 to the end anchors and interpolates linearly between anchors', () => {
    const last = HEATMAP_ANCHORS.length - 1;
    expect(heatmapColor(0)).toEqual([...HEATMAP_ANCHORS[0]!]);
    expect(heatmapColor(1)).toEqual([...HEATMAP_ANCHORS[last]!]);
    expect(heatmapColor(2)).toEqual([...HEATMAP_ANCHORS[last]!]);
    expect(heatmapColor(1 / last)).toEqual([...HEATMAP_ANCHORS[1]!]);
    // Halfway between anchors 0 (black) and 1 (87, 16, 110).
    expect(heatmapColor(0.5 / last)).toEqual([44, 8, 55]);
    // Brighter for higher scores: the ramp reads in greyscale too.
    const brightness = Array.from({ length: 21 }, (_, i) => heatmapColor(i / 20).reduce((a, b) => a + b, 0));
    for (let i = 1; i < brightness.length; i++) expect(brightness[i]!).toBeGreaterThan(brightness[i - 1]!);
  });

  it('heatmapRgb writes each pixel its colour, row-major, 3 bytes a pixel', () => {
    const rgb = heatmapRgb([10, 30, 20], { min: 10, max: 30 });
    expect(Array.from(rgb)).toEqual([...heatmapColor(0), ...heatmapColor(1), ...heatmapColor(0.5)]);
  });
});
