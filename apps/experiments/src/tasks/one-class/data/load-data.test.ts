import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ImageSet, mnist, rotate90 } from '@curvad/datasets';
import type * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { parseOneClassConfig } from '../config/one-class-config';
import { oneClassPresetConfig } from '../config/presets';
import { loadOneClassData } from './load-data';
import { releasedRotations } from './released-rotations';
import { rotationTrainBatches } from './rotation-batches';

describe('rotationTrainBatches', () => {
  it('feeds each image in its four rotations (pixel-exact, as rotate90), labelled 0..3, in the given order', () => {
    const pixels = Uint8Array.from({ length: 3 * 16 }, (_, i) => (i * 37) % 256);
    const set: ImageSet = { images: pixels, labels: Uint8Array.from([7, 7, 7]), shape: [3, 4, 4, 1] };
    // Read each batch before asking for the next: the generator frees a batch's tensors then.
    const batches: { inputs: number[]; shape: number[]; targets: number[] }[] = [];
    for (const b of rotationTrainBatches(set, 2, [2, 0, 1])) {
      const inputs = b.inputs as tf.Tensor;
      batches.push({ inputs: Array.from(inputs.dataSync()), shape: inputs.shape, targets: Array.from(b.targets.dataSync()) });
    }
    expect(batches.map((b) => b.shape)).toEqual([
      [8, 4, 4, 1],
      [4, 4, 4, 1],
    ]);
    expect(batches.map((b) => b.targets)).toEqual([
      [0, 1, 2, 3, 0, 1, 2, 3],
      [0, 1, 2, 3],
    ]);
    const image = (row: number) => Float32Array.from(pixels.subarray(row * 16, (row + 1) * 16), (v) => v / 255);
    const want = (rows: number[]) => rows.flatMap((row) => [0, 1, 2, 3].flatMap((k) => Array.from(rotate90(image(row), [4, 4, 1], k))));
    expect(batches[0]!.inputs).toEqual(want([2, 0]));
    expect(batches[1]!.inputs).toEqual(want([1]));
  });
});

describe('loadOneClassData', () => {
  it('trains on the normal class only and cuts the whole test split into normal and anomalous images', async () => {
    const config = parseOneClassConfig({ ...oneClassPresetConfig('mnist-one-class'), limits: { train: 50 } });
    const data = await loadOneClassData(config, 4);
    expect(data.train.shape[0]).toBe(50);
    expect(new Set(data.train.labels)).toEqual(new Set([4]));
    expect(new Set(data.normalTest.labels)).toEqual(new Set([4]));
    expect(data.anomalousTest.labels.includes(4)).toBe(false);
    // 70% of the npm package's 10,000 digits train; the other 3,000 are the test split, every one scored.
    expect(data.normalTest.shape[0] + data.anomalousTest.shape[0]).toBe(3000);
    const digits = await mnist({ split: 'test' });
    expect(data.files.test).toEqual(digits.sourceFiles);
    await expect(loadOneClassData(parseOneClassConfig({ ...config, limits: { test: 1 } }), 4)).rejects.toThrow(
      /normal class 4 of mnist: no (normal|anomalous) test images \(limits \{"test":1\}\); pick a class present in the data or raise the limits/,
    );
  });

  it('released rotations: one of 0..3 per test image, the same for a trial and seed, another for the next trial', () => {
    const a = releasedRotations(0, 0, 400);
    expect(Array.from(a).every((r) => r >= 0 && r <= 3)).toBe(true);
    expect(new Set(a).size).toBe(4);
    expect(releasedRotations(0, 0, 400)).toEqual(a);
    expect(releasedRotations(0, 1, 400)).not.toEqual(a);
  });
});

describe('cifar10-rotnet and cifar10-csi presets', () => {
  const PLANE = 1024;
  let root: string | undefined;
  const saved = process.env.CURVAD_DATA;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    if (saved === undefined) delete process.env.CURVAD_DATA;
    else process.env.CURVAD_DATA = saved;
  });
  const records = (labels: number[]) => {
    const out = new Uint8Array(labels.length * (1 + 3 * PLANE));
    labels.forEach((label, i) => {
      out[i * (1 + 3 * PLANE)] = label;
      out.fill(10 * i + label, i * (1 + 3 * PLANE) + 1, (i + 1) * (1 + 3 * PLANE));
    });
    return out;
  };

  it.each(['cifar10-rotnet', 'cifar10-csi'])(
    "%s reads the CIFAR-10 reader's binary files: 32x32x3 images, the normal class's training images only",
    async (preset) => {
      root = mkdtempSync(join(tmpdir(), 'curvad-one-class-cifar-'));
      const dir = join(root, 'cifar-10-batches-bin');
      mkdirSync(dir);
      for (let b = 1; b <= 5; b++) writeFileSync(join(dir, `data_batch_${b}.bin`), records([3, 5]));
      writeFileSync(join(dir, 'test_batch.bin'), records([3, 1, 9]));
      process.env.CURVAD_DATA = root;
      const data = await loadOneClassData(oneClassPresetConfig(preset), 3);
      expect(data.train.shape).toEqual([5, 32, 32, 3]);
      expect(Array.from(data.train.labels)).toEqual([3, 3, 3, 3, 3]);
      expect(Array.from(data.normalTest.labels)).toEqual([3]);
      expect(Array.from(data.anomalousTest.labels)).toEqual([1, 9]);
      expect(data.files.train!.map((f) => f.path)).toEqual([1, 2, 3, 4, 5].map((b) => join(dir, `data_batch_${b}.bin`)));
    },
  );
});
