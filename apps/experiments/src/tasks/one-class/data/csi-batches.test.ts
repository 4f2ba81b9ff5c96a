import { batches, type ImageSet, rotate90, simclrAugmentation } from '@curvad/datasets';
import type * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { csiTrainBatches, csiViewSeed } from './csi-batches';

const SIDE = 6;
const PER = SIDE * SIDE;

describe('csiTrainBatches', () => {
  it('8B rows: view-major, then rotation-major, then image; each row the pipeline view of its image turned by its label', () => {
    const pixels = Uint8Array.from({ length: 3 * PER }, (_, i) => (i * 53 + 17) % 256);
    const set: ImageSet = { images: pixels, labels: Uint8Array.from([4, 4, 4]), shape: [3, SIDE, SIDE, 1] };
    const order = [2, 0, 1];
    const seeds = { unit: 41, epoch: 3 };
    const got: { inputs: number[]; shape: number[]; targets: number[] }[] = [];
    for (const b of csiTrainBatches(set, 2, order, seeds, { cropScale: [0.08, 1] })) {
      const inputs = b.inputs as tf.Tensor;
      got.push({ inputs: Array.from(inputs.dataSync()), shape: inputs.shape, targets: Array.from(b.targets.dataSync()) });
    }
    expect(got.map((b) => b.shape)).toEqual([
      [16, SIDE, SIDE, 1],
      [8, SIDE, SIDE, 1],
    ]);
    expect(got[0]!.targets).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 0, 0, 1, 1, 2, 2, 3, 3]);
    expect(got[1]!.targets).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);

    // The two views of each batch, independently: the datasets pipeline with each view's seed.
    const augment = simclrAugmentation([SIDE, SIDE, 1]);
    const views = [0, 1].map((v) => [...batches(set, { batchSize: 2, order, seed: csiViewSeed(41, 3, v), augment })]);
    for (const [b, batch] of got.entries()) {
      const n = b === 0 ? 2 : 1;
      const want: number[] = [];
      for (let v = 0; v < 2; v++) {
        const viewImages = views[v]![b]!.images;
        for (let r = 0; r < 4; r++) {
          for (let i = 0; i < n; i++) want.push(...rotate90(viewImages.subarray(i * PER, (i + 1) * PER), [SIDE, SIDE, 1], r));
        }
      }
      expect(batch.inputs).toEqual(want);
    }
    // The views are augmented (not the raw image) and differ from each other.
    const raw = Array.from(pixels.subarray(2 * PER, 3 * PER), (p) => p / 255);
    const viewA = got[0]!.inputs.slice(0, PER);
    const viewB = got[0]!.inputs.slice(8 * PER, 9 * PER);
    expect(viewA).not.toEqual(raw);
    expect(viewA).not.toEqual(viewB);
    // Another epoch augments differently (same order).
    const other = csiTrainBatches(set, 2, order, { unit: 41, epoch: 4 }, { cropScale: [0.08, 1] }).next().value!;
    expect(Array.from((other.inputs as tf.Tensor).dataSync())).not.toEqual(got[0]!.inputs);
  });

  it('view seeds: distinct per view and epoch, the same on every call', () => {
    const seeds = [0, 1, 2].flatMap((e) => [0, 1].map((v) => csiViewSeed(7, e, v)));
    expect(new Set(seeds).size).toBe(6);
    expect(csiViewSeed(7, 2, 1)).toBe(seeds[5]);
  });
});
