import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { blobSet } from '../test-support/toy-sets.js';
import { segmentationScenes } from './segmentation-scenes.js';

const objects = blobSet(40, 28, 28, 1, 10);
const digits = blobSet(15, 28, 28, 1, 10);

describe('segmentationScenes', () => {
  test.prop([fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 4 })], { numRuns: 15 })(
    'class maps and masks match the pasted pixels exactly (rebuilt from the placements)',
    (seed, anomaliesPerScene) => {
      const set = segmentationScenes({ objects, anomalies: digits, count: 4, seed, anomaliesPerScene });
      const S = 64;
      const images = new Uint8Array(4 * S * S);
      const classMaps = new Uint8Array(4 * S * S).fill(10);
      const masks = new Uint8Array(4 * S * S);
      for (const p of set.placements) {
        const src = p.kind === 'object' ? objects : digits;
        for (let r = 0; r < 28; r++) {
          for (let c = 0; c < 28; c++) {
            const v = src.images[(p.sourceIndex * 28 + r) * 28 + c]!;
            if (v === 0) continue;
            const at = (p.scene * S + p.y + r) * S + p.x + c;
            images[at] = v;
            classMaps[at] = p.kind === 'object' ? src.labels[p.sourceIndex]! : 11;
            masks[at] = p.kind === 'anomaly' ? 1 : 0;
          }
        }
      }
      expect(Buffer.from(set.images).equals(Buffer.from(images))).toBe(true);
      expect(Buffer.from(set.classMaps).equals(Buffer.from(classMaps))).toBe(true);
      expect(Buffer.from(set.masks).equals(Buffer.from(masks))).toBe(true);
      // every scene has exactly anomaliesPerScene anomalies, in distinct cells, inside the scene
      for (let s = 0; s < 4; s++) {
        const here = set.placements.filter((p) => p.scene === s);
        expect(here.filter((p) => p.kind === 'anomaly').length).toBe(anomaliesPerScene);
        const cells = here.map((p) => `${Math.floor(p.y / 32)},${Math.floor(p.x / 32)}`);
        expect(new Set(cells).size).toBe(cells.length);
        for (const p of here) {
          expect(p.y % 32).toBeLessThanOrEqual(4);
          expect(p.x % 32).toBeLessThanOrEqual(4);
        }
        expect(set.labels[s]).toBe(anomaliesPerScene > 0 ? 1 : 0);
      }
    },
  );

  it('the same seed gives the same scenes; another seed other scenes', () => {
    const a = segmentationScenes({ objects, anomalies: digits, count: 6, seed: 42, anomaliesPerScene: 1 });
    const b = segmentationScenes({ objects, anomalies: digits, count: 6, seed: 42, anomaliesPerScene: 1 });
    const c = segmentationScenes({ objects, anomalies: digits, count: 6, seed: 43, anomaliesPerScene: 1 });
    expect(Array.from(a.images)).toEqual(Array.from(b.images));
    expect(Array.from(a.masks)).toEqual(Array.from(b.masks));
    expect(a.placements).toEqual(b.placements);
    expect(Array.from(a.images)).not.toEqual(Array.from(c.images));
  });

  it('backgroundNoise textures only background pixels, seeded, leaving objects, labels and masks as without it', () => {
    const plain = segmentationScenes({ objects, anomalies: digits, count: 5, seed: 7, anomaliesPerScene: 1 });
    const noisy = segmentationScenes({ objects, anomalies: digits, count: 5, seed: 7, anomaliesPerScene: 1, backgroundNoise: 60 });
    const again = segmentationScenes({ objects, anomalies: digits, count: 5, seed: 7, anomaliesPerScene: 1, backgroundNoise: 60 });
    expect(noisy.placements).toEqual(plain.placements);
    expect(Array.from(noisy.classMaps)).toEqual(Array.from(plain.classMaps));
    expect(Array.from(noisy.masks)).toEqual(Array.from(plain.masks));
    expect(Array.from(noisy.images)).toEqual(Array.from(again.images));
    const levels = new Set<number>();
    for (let p = 0; p < noisy.classMaps.length; p++) {
      if (noisy.classMaps[p] === noisy.backgroundClass) {
        expect(noisy.images[p]).toBeLessThanOrEqual(60);
        levels.add(noisy.images[p]!);
      } else {
        expect(noisy.images[p]).toBe(plain.images[p]);
      }
    }
    expect(levels.size).toBeGreaterThan(50);
    expect(() => segmentationScenes({ objects, count: 1, seed: 0, backgroundNoise: 300 })).toThrow(
      /backgroundNoise must be an integer uint8 level/,
    );
  });

  it('names the classes: K objects, then background and anomaly', () => {
    const set = segmentationScenes({
      objects: { ...objects, classNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'] },
      count: 1,
      seed: 0,
    });
    expect(set.backgroundClass).toBe(10);
    expect(set.anomalyClass).toBe(11);
    expect(set.classNames?.slice(9)).toEqual(['j', 'background', 'anomaly']);
    expect(set.shape).toEqual([1, 64, 64, 1]);
  });

  it('rejects objects larger than a cell, missing anomalies and channel mismatches', () => {
    expect(() => segmentationScenes({ objects, count: 1, seed: 0, grid: 4 })).toThrow(/larger than a 16x16 cell/);
    expect(() => segmentationScenes({ objects, count: 1, seed: 0, anomaliesPerScene: 1 })).toThrow(/needs an `anomalies` image set/);
    expect(() => segmentationScenes({ objects, anomalies: blobSet(2, 28, 28, 3, 1), count: 1, seed: 0, anomaliesPerScene: 1 })).toThrow(
      DatasetError,
    );
  });
});
