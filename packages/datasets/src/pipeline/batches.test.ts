import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { denseSet } from '../test-support/toy-sets.js';
import { composeAugmentations, randomCropWithPadding, randomHorizontalFlip } from './augment.js';
import { batches, rotationBatch } from './batches.js';
import { normalizePixels } from './normalize.js';

const set = denseSet(23, 4, 4, 3, 5);

describe('batches', () => {
  it('covers every image once per epoch, in batches of batchSize (last one smaller)', () => {
    const out = [...batches(set, { batchSize: 5, seed: 1 })];
    expect(out.map((b) => b.shape[0])).toEqual([5, 5, 5, 5, 3]);
    const seen = out.flatMap((b) => Array.from(b.indices)).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => i));
    for (const b of out) {
      b.indices.forEach((src, i) => {
        expect(b.labels[i]).toBe(set.labels[src]);
        expect(b.images[i * 48 + 7]).toBeCloseTo(set.images[src * 48 + 7]! / 255, 6);
      });
    }
    expect([...batches(set, { batchSize: 5, dropLast: true })].length).toBe(4);
  });

  it('is deterministic: same seed and epoch, same batches (with augmentation); another epoch, another order', () => {
    const augment = composeAugmentations(randomCropWithPadding(1), randomHorizontalFlip());
    const run = (epoch: number): number[] =>
      [...batches(set, { batchSize: 4, seed: 9, epoch, augment })].flatMap((b) => [...Array.from(b.indices), ...Array.from(b.images)]);
    expect(run(0)).toEqual(run(0));
    expect(run(1)).not.toEqual(run(0));
    const unshuffled = [...batches(set, { batchSize: 23, shuffle: false })][0]!;
    expect(Array.from(unshuffled.indices)).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });

  it('normalizes per channel: (v / 255 - mean) / std', () => {
    const b = [...batches(set, { batchSize: 23, shuffle: false, normalize: { mean: [0.5, 0.25, 0], std: [0.5, 2, 1] } })][0]!;
    for (const k of [0, 1, 2, 100, 1103]) {
      const ch = k % 3;
      const ref = (set.images[k]! / 255 - [0.5, 0.25, 0][ch]!) / [0.5, 2, 1][ch]!;
      expect(b.images[k]).toBeCloseTo(ref, 6);
    }
    expect(() => normalizePixels(new Uint8Array(3), 3, { std: [1, 0, 1] })).toThrow(/positive/);
    expect(() => normalizePixels(new Uint8Array(3), 3, { mean: [1] })).toThrow(/3 entries/);
  });

  it('batches masks alongside the images and refuses to augment masked data', () => {
    const masks = Uint8Array.from({ length: 23 * 16 }, (_, k) => Math.floor(k / 16) % 2);
    for (const b of batches(set, { batchSize: 6, seed: 3, masks })) {
      for (const [i, src] of b.indices.entries()) expect(b.masks![i * 16]).toBe(src % 2);
    }
    expect(() => [...batches(set, { batchSize: 6, masks, augment: randomHorizontalFlip() })]).toThrow(DatasetError);
    expect(() => [...batches(set, { batchSize: 0 })]).toThrow(/batchSize/);
  });
});

describe('batches with an explicit order', () => {
  it('batches exactly the given rows in the given order, pixels normalized as the whole set would be', () => {
    const order = [22, 0, 7, 3, 19, 11, 5];
    const out = [...batches(set, { batchSize: 3, order, shuffle: true, seed: 4 })];
    expect(out.map((b) => Array.from(b.indices))).toEqual([[22, 0, 7], [3, 19, 11], [5]]);
    const whole = normalizePixels(set.images, 3);
    for (const b of out) {
      for (const [i, src] of b.indices.entries()) {
        expect(Array.from(b.images.subarray(i * 48, (i + 1) * 48))).toEqual(Array.from(whole.subarray(src * 48, (src + 1) * 48)));
        expect(b.labels[i]).toBe(set.labels[src]);
      }
    }
  });

  it('refuses rows out of range, fractional or repeated, naming the position', () => {
    expect(() => [...batches(set, { batchSize: 2, order: [0, 23] })]).toThrow(
      /order\[1\] is 23, not a row of this set \(integers 0 to 22\)/,
    );
    expect(() => [...batches(set, { batchSize: 2, order: [1.5] })]).toThrow(DatasetError);
    expect(() => [...batches(set, { batchSize: 2, order: [4, 2, 4] })]).toThrow(/lists row 4 twice/);
  });
});

describe('rotationBatch', () => {
  it('repeats each image with rotations 0..3 as labels', () => {
    const b = [...batches(set, { batchSize: 2, shuffle: false })][0]!;
    const r = rotationBatch(b);
    expect(r.shape).toEqual([8, 4, 4, 3]);
    expect(Array.from(r.labels)).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    expect(Array.from(r.classLabels)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(Array.from(r.images.subarray(0, 48))).toEqual(Array.from(b.images.subarray(0, 48)));
    // 180 degrees: pixel (0, 0) comes from (3, 3)
    expect(r.images[2 * 48]).toBe(b.images[(3 * 4 + 3) * 3]);
  });
});
