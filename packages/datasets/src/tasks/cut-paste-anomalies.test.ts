import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { blobSet, denseSet } from '../test-support/toy-sets.js';
import { cutPasteAnomalies } from './cut-paste-anomalies.js';

const normals = denseSet(12, 20, 20, 3, 1);
const sources = blobSet(9, 16, 16, 3, 10);

describe('cutPasteAnomalies', () => {
  test.prop([fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom('patch' as const, 'foreground' as const)], { numRuns: 20 })(
    'mask = 1 exactly on the written pixels: there the source patch, elsewhere the untouched normal image',
    (seed, mode) => {
      const set = cutPasteAnomalies({ normals, sources, count: 10, seed, mode, patchSize: [4, 12] });
      const [n, h, w, c] = set.shape;
      expect([n, h, w, c]).toEqual([10, 20, 20, 3]);
      expect(set.labels.reduce((a, b) => a + b, 0)).toBe(5);
      const expectedImages = new Uint8Array(set.images.length);
      const expectedMasks = new Uint8Array(set.masks.length);
      for (let i = 0; i < n; i++) {
        const paste = set.pastes.find((p) => p.image === i);
        expect(set.labels[i]).toBe(paste ? 1 : 0);
        const base = set.normalIndices[i]!;
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const at = (i * h + y) * w + x;
            const inRect =
              paste !== undefined &&
              y >= paste.to[0] &&
              y < paste.to[0] + paste.size[0] &&
              x >= paste.to[1] &&
              x < paste.to[1] + paste.size[1];
            let from = normals.images.subarray(((base * h + y) * w + x) * c, ((base * h + y) * w + x + 1) * c);
            if (inRect) {
              const sy = paste.from[0] + y - paste.to[0];
              const sx = paste.from[1] + x - paste.to[1];
              const src = sources.images.subarray(
                ((paste.sourceIndex * 16 + sy) * 16 + sx) * c,
                ((paste.sourceIndex * 16 + sy) * 16 + sx + 1) * c,
              );
              if (mode === 'patch' || src.some((v) => v > 0)) {
                from = src;
                expectedMasks[at] = 1;
              }
            }
            expectedImages.set(from, at * c);
          }
        }
        if (paste) expect(set.masks.subarray(i * h * w, (i + 1) * h * w).some((v) => v === 1)).toBe(true);
      }
      expect(Buffer.from(set.masks).equals(Buffer.from(expectedMasks))).toBe(true);
      expect(Buffer.from(set.images).equals(Buffer.from(expectedImages))).toBe(true);
    },
  );

  it('the same seed gives the same images and masks', () => {
    const a = cutPasteAnomalies({ normals, sources, count: 8, seed: 7 });
    const b = cutPasteAnomalies({ normals, sources, count: 8, seed: 7 });
    expect(Array.from(a.images)).toEqual(Array.from(b.images));
    expect(Array.from(a.masks)).toEqual(Array.from(b.masks));
    expect(a.pastes).toEqual(b.pastes);
  });

  it('rejects patch sizes that do not fit and blank sources in foreground mode', () => {
    expect(() => cutPasteAnomalies({ normals, sources, count: 2, seed: 0, patchSize: [4, 17] })).toThrow(/patchSize \[4, 17\]/);
    const blank = { ...sources, images: new Uint8Array(sources.images.length) };
    expect(() => cutPasteAnomalies({ normals, sources: blank, count: 2, seed: 0, mode: 'foreground', anomalyFraction: 1 })).toThrow(
      /look blank/,
    );
  });
});
