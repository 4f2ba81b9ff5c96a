import { type ImageSet, leaveOutFolds } from '@curvad/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { elocTrainBatches, foldTrainSet, HELD_OUT_LABEL } from './eloc-batches';

// 1x1 grey images whose pixel is the row index, so a batch row tells which training row it is.
const ROWS = 40;
const CLASSES = 4;
const labels = Uint8Array.from({ length: ROWS }, (_, i) => i % CLASSES);
const train: ImageSet = { images: Uint8Array.from({ length: ROWS }, (_, i) => i), labels, shape: [ROWS, 1, 1, 1] };
const [fold0, fold1] = leaveOutFolds(CLASSES, 2); // fold 0 holds out {0, 1}, fold 1 holds out {2, 3}

function rowsOfBatch(inputs: tf.Tensor): number[] {
  return Array.from(inputs.dataSync(), (v) => Math.round(v * 255));
}

describe('ELOC fold training batches', () => {
  test('the fold set renumbers kept labels and marks held-out rows, sharing the images', () => {
    const fold = foldTrainSet(train, fold1!);
    expect(fold.set.images).toBe(train.images);
    for (let row = 0; row < ROWS; row++) {
      const c = labels[row]!;
      expect(fold.set.labels[row]).toBe(c < 2 ? c : HELD_OUT_LABEL);
    }
    expect(Array.from(fold.heldOutRows).every((r) => labels[r]! >= 2)).toBe(true);
  });

  test('each batch: ID rows of kept classes with renumbered targets, then held-out rows of held-out classes only', () => {
    const fold = foldTrainSet(train, fold0!); // keeps 2 -> 0 and 3 -> 1
    const seenId: number[] = [];
    let steps = 0;
    for (const batch of elocTrainBatches(fold, 8, 7, 0)) {
      const rows = rowsOfBatch(batch.inputs as tf.Tensor);
      const idRows = batch.targets.shape[0]!;
      const targets = Array.from(batch.targets.dataSync());
      const id = rows.slice(0, idRows);
      const heldOut = rows.slice(idRows);
      expect(heldOut).toHaveLength(8);
      id.forEach((row, i) => {
        expect([2, 3]).toContain(labels[row]);
        expect(targets[i]).toBe(labels[row]! - 2);
      });
      for (const row of heldOut) expect([0, 1]).toContain(labels[row]);
      expect(new Set(heldOut).size).toBe(heldOut.length);
      seenId.push(...id);
      steps++;
    }
    // Every kept row once per epoch (20 rows: 3 batches of 8, 8, 4); the held-out stream cycles.
    expect(steps).toBe(3);
    expect(seenId.sort((a, b) => a - b)).toEqual(Array.from(fold.keptRows).sort((a, b) => a - b));
  });

  test('the epoch order is seeded, and no tensor outlives the loop', () => {
    const fold = foldTrainSet(train, fold0!);
    const first = (seed: number, epoch: number) => {
      const it = elocTrainBatches(fold, 8, seed, epoch);
      const rows = rowsOfBatch(it.next().value!.inputs as tf.Tensor);
      it.return();
      return rows;
    };
    expect(first(7, 0)).toEqual(first(7, 0));
    expect(first(7, 1)).not.toEqual(first(7, 0));
    const before = tf.memory().numTensors;
    for (const _ of elocTrainBatches(fold, 8, 7, 0)) {
      // consume
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a fold with no training images of its held-out classes is refused, naming the fold and limits.train', () => {
    const onlyKept: ImageSet = { ...train, labels: Uint8Array.from({ length: ROWS }, (_, i) => 2 + (i % 2)) };
    expect(() => foldTrainSet(onlyKept, fold0!)).toThrow(/ELOC fold 1: .* 0 of the held-out classes \[0, 1\].*limits\.train/);
  });
});
