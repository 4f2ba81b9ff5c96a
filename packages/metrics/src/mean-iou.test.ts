import { describe, expect, it } from 'vitest';
import { MetricsError } from './errors';
import { meanIou } from './mean-iou';

describe('meanIou', () => {
  it('hand example with an ignored id and a class absent from both', () => {
    // classes 0..3; truth 9 is ignored whatever was predicted; class 3 never occurs.
    const truth = [0, 0, 1, 1, 2, 9, 9];
    const predicted = [0, 1, 1, 1, 1, 0, 3];
    // IoU_0 = 1 / 2 (pixel 0 / pixels 0, 1); IoU_1 = 2 / 4 (pixels 2, 3 / 1, 2, 3, 4); IoU_2 = 0 / 1.
    const result = meanIou(predicted, truth, 4, { ignore: [9] });
    expect(result.perClass).toEqual([0.5, 0.5, 0, null]);
    expect(result.mean).toBeCloseTo(1 / 3, 15);
  });

  it('is 1 for a perfect prediction, and refuses bad ids and lengths', () => {
    expect(meanIou([2, 0, 1], [2, 0, 1], 3).mean).toBe(1);
    expect(() => meanIou([0, 5], [0, 1], 3)).toThrow(/predicted id 5 at pixel 1 is outside \[0, 3\)/);
    expect(() => meanIou([0], [0, 1], 3)).toThrow(MetricsError);
    expect(() => meanIou([0], [9], 3, { ignore: [9] })).toThrow(/no pixel is counted/);
  });
});
