import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { connectedComponents } from './connected-components';

function maskFrom(rows: string[]): Uint8Array {
  return Uint8Array.from(rows.join(''), (c) => (c === '#' ? 1 : 0));
}

/** Reference: repeated min-label propagation over the 8 neighbours until nothing changes. */
function referenceRegionCount(mask: Uint8Array, h: number, w: number): number {
  const label = Int32Array.from(mask, (m, i) => (m ? i + 1 : 0));
  for (let changed = true; changed; ) {
    changed = false;
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const p = r * w + c;
        if (!label[p]) continue;
        for (let dr = -1; dr <= 1; dr++) {
          for (let dc = -1; dc <= 1; dc++) {
            const rr = r + dr;
            const cc = c + dc;
            if (rr < 0 || rr >= h || cc < 0 || cc >= w) continue;
            const q = rr * w + cc;
            if (label[q] && label[q]! < label[p]!) {
              label[p] = label[q]!;
              changed = true;
            }
          }
        }
      }
    }
  }
  return new Set(Array.from(label).filter((l) => l > 0)).size;
}

describe('connectedComponents', () => {
  it('joins diagonal neighbours (8-connectivity) and separates gaps', () => {
    const mask = maskFrom(['#...#', '.#..#', '.....', '##..#', '#...#']);
    const { labels, count, sizes } = connectedComponents(mask, 5, 5);
    expect(count).toBe(4);
    expect(labels[0]).toBe(labels[6]); // (0,0) and (1,1) touch at a corner
    expect(labels[4]).toBe(labels[9]);
    expect(labels[4]).not.toBe(labels[19]); // a blank row between them
    expect(sizes[0]).toBe(25 - 9);
    expect(sizes[labels[0]!]).toBe(2);
    expect(sizes[labels[4]!]).toBe(2);
    expect(sizes[labels[15]!]).toBe(3);
    expect(sizes[labels[19]!]).toBe(2);
  });

  it('does not wrap around row ends', () => {
    const { count } = connectedComponents(maskFrom(['...#', '#...']), 2, 4);
    expect(count).toBe(2);
  });

  it('counts nonzero values (255 masks) as foreground, and a full mask as one region', () => {
    expect(connectedComponents(Uint8Array.from([255, 0, 255, 255]), 2, 2).count).toBe(1);
    expect(connectedComponents(new Uint8Array(12).fill(1), 3, 4).sizes[1]).toBe(12);
    expect(connectedComponents(new Uint8Array(12), 3, 4).count).toBe(0);
  });

  it('rejects a mask that does not match its size', () => {
    expect(() => connectedComponents(new Uint8Array(5), 2, 3)).toThrow(/height 2 x width 3/);
  });

  test.prop([fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.array(fc.boolean(), { minLength: 81, maxLength: 81 })], {
    numRuns: 200,
  })('matches a label-propagation reference', (h, w, bits) => {
    const mask = Uint8Array.from(bits.slice(0, h * w), (b) => (b ? 1 : 0));
    const { labels, count, sizes } = connectedComponents(mask, h, w);
    expect(count).toBe(referenceRegionCount(mask, h, w));
    expect(Array.from(sizes).reduce((a, b) => a + b, 0)).toBe(h * w);
    for (let i = 0; i < mask.length; i++) expect(labels[i] === 0).toBe(mask[i] === 0);
  });
});
