// Data loading of the OOD task: class selection and remapping, seeded limits, the partition of a
// single-split dataset, shapes, and no float copy (the ID sets stay uint8 ImageSets).
import type { ImageSet } from '@curvad/datasets';
import { describe, expect, test } from 'vitest';
import { parseOodConfig } from '../config/ood-config';
import { TINY_MNIST_HOLDOUT } from '../test-support';
import { limitRows, loadConfigurationData, selectClasses } from './load-data';

/** 1x1 grey images whose pixel is the row index, labels as given. */
function tinySet(labels: number[]): ImageSet {
  return { images: Uint8Array.from(labels, (_, i) => i), labels: Uint8Array.from(labels), shape: [labels.length, 1, 1, 1] };
}

describe('selectClasses', () => {
  test('keeps the rows of the named classes in order, labels remapped to their position in the list', () => {
    const picked = selectClasses(tinySet([5, 2, 7, 2, 5, 9]), [7, 2]);
    expect(Array.from(picked.images)).toEqual([1, 2, 3]);
    expect(Array.from(picked.labels)).toEqual([1, 0, 1]);
    expect(picked.shape).toEqual([3, 1, 1, 1]);
  });

  test('without a list: every label present, in ascending order', () => {
    expect(Array.from(selectClasses(tinySet([5, 2, 7, 2]), undefined).labels)).toEqual([1, 0, 2, 0]);
  });
});

describe('limitRows', () => {
  test('a seeded subset of `limit` rows kept in their original order; the same seed gives the same rows', () => {
    const set = tinySet(Array.from({ length: 20 }, (_, i) => i % 3));
    const a = limitRows(set, 6, 4);
    expect(a.shape[0]).toBe(6);
    const rows = Array.from(a.images);
    expect(rows).toEqual([...rows].sort((x, y) => x - y));
    expect(Array.from(a.labels)).toEqual(rows.map((r) => r % 3));
    expect(Array.from(limitRows(set, 6, 4).images)).toEqual(rows);
    expect(Array.from(limitRows(set, 6, 5).images)).not.toEqual(rows);
    expect(limitRows(set, undefined, 4)).toBe(set);
    expect(limitRows(set, 50, 4)).toBe(set);
  });
});

describe('loadConfigurationData (MNIST 0-2 vs 3, partitioned)', () => {
  const config = parseOodConfig({
    name: 'load-data',
    ...TINY_MNIST_HOLDOUT,
    configurations: [
      {
        ...TINY_MNIST_HOLDOUT.configurations[0],
        ood: [...TINY_MNIST_HOLDOUT.configurations[0]!.ood, { kind: 'noise', name: 'Uniform', noise: 'uniform', count: 40 }],
      },
    ],
    models: ['baseline'],
    epochs: 1,
    batchSize: 8,
    trials: 1,
    limits: { train: 60, test: 25, ood: 30 },
    seed: 3,
  });

  test('uint8 ID sets with labels 0..2, the limits, the OOD sets at the ID image size', async () => {
    const data = await loadConfigurationData(config, config.configurations[0]!);
    expect(data.classes).toBe(3);
    expect(data.train.images).toBeInstanceOf(Uint8Array);
    expect(data.test.images).toBeInstanceOf(Uint8Array);
    expect(data.train.shape).toEqual([60, 28, 28, 1]);
    expect(data.test.shape).toEqual([25, 28, 28, 1]);
    expect(new Set(data.train.labels)).toEqual(new Set([0, 1, 2]));
    expect(Array.from(data.test.labels).every((l) => l <= 2)).toBe(true);
    expect(data.ood.map((o) => [o.name, o.images.shape])).toEqual([
      ['MNIST 3', [30, 28, 28, 1]],
      ['Uniform', [30, 28, 28, 1]],
    ]);
    expect('images' in data.ood[0]!.images && data.ood[0]!.images.images).toBeInstanceOf(Uint8Array);
    // The partition: train and test come from one split without sharing an image.
    const per = 28 * 28;
    const key = (set: ImageSet, i: number) => Buffer.from(set.images.subarray(i * per, (i + 1) * per)).toString('base64');
    const trainImages = new Set(Array.from({ length: 60 }, (_, i) => key(data.train, i)));
    expect(Array.from({ length: 25 }, (_, i) => key(data.test, i)).filter((k) => trainImages.has(k))).toEqual([]);
    expect(data.files.train).toEqual(data.files.test);
    // Seeded by the experiment seed: a second load gives the same rows.
    const again = await loadConfigurationData(config, config.configurations[0]!);
    expect(again.train.images).toEqual(data.train.images);
    expect(again.train.labels).toEqual(data.train.labels);
  });
});
