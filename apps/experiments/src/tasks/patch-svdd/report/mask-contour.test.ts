import { describe, expect, test } from 'vitest';
import { CONTOUR_RGB, contourOverlayRgb, maskContour } from './mask-contour';

/** A mask [h, w] from rows of '#' (defect) and '.' (normal). */
function maskOf(rows: string[]): Uint8Array {
  return Uint8Array.from(rows.join(''), (ch) => (ch === '#' ? 1 : 0));
}

function rowsOf(mask: Uint8Array, width: number): string[] {
  const rows: string[] = [];
  for (let at = 0; at < mask.length; at += width) rows.push(Array.from(mask.subarray(at, at + width), (m) => (m ? '#' : '.')).join(''));
  return rows;
}

describe('maskContour', () => {
  test('the inner boundary of a defect: its pixels with a normal 4-neighbour, not its inside', () => {
    const mask = maskOf(['......', '.####.', '.####.', '.####.', '......']);
    expect(rowsOf(maskContour(mask, 5, 6), 6)).toEqual(['......', '.####.', '.#..#.', '.####.', '......']);
  });

  test('a defect at the border is closed along the border; a diagonal neighbour alone does not make a boundary', () => {
    const mask = maskOf(['###', '###', '###']);
    expect(rowsOf(maskContour(mask, 3, 3), 3)).toEqual(['###', '#.#', '###']);
    expect(maskContour(new Uint8Array(9), 3, 3).every((m) => m === 0)).toBe(true);
  });
});

describe('contourOverlayRgb', () => {
  test('a grey image becomes RGB with the outline in CONTOUR_RGB and every other pixel its grey level', () => {
    const mask = maskOf(['....', '.##.', '.##.', '....']);
    const image = Uint8Array.from({ length: 16 }, (_, i) => 10 * i);
    const rgb = contourOverlayRgb(image, mask, 4, 4, 1);
    for (let p = 0; p < 16; p++) {
      expect(Array.from(rgb.subarray(p * 3, p * 3 + 3))).toEqual(mask[p] ? [...CONTOUR_RGB] : [10 * p, 10 * p, 10 * p]);
    }
  });

  test('an RGB image keeps its colours off the outline', () => {
    const mask = maskOf(['#.', '..']);
    const image = Uint8Array.from({ length: 12 }, (_, i) => i + 1);
    expect(Array.from(contourOverlayRgb(image, mask, 2, 2, 3))).toEqual([...CONTOUR_RGB, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});
