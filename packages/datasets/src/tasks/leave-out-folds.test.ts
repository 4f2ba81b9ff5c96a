import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { shuffledIndices } from '../random.js';
import { leaveOutFolds, leaveOutSplit } from './leave-out-folds.js';

describe('leaveOutFolds (ELOC leave-out classes)', () => {
  it('without a seed, fold k of CIFAR-10 holds out classes 2k and 2k+1 and renumbers the other eight in order', () => {
    const folds = leaveOutFolds(10);
    expect(folds.map((f) => f.heldOut)).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
      [8, 9],
    ]);
    expect(folds[1]!.kept).toEqual([0, 1, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(folds[1]!.remap)).toEqual([0, 1, -1, -1, 2, 3, 4, 5, 6, 7]);
    expect(folds.map((f) => f.fold)).toEqual([0, 1, 2, 3, 4]);
  });

  it('with a seed, holds out contiguous blocks of the seeded shuffle, reproducibly', () => {
    const order = Array.from(shuffledIndices(10, 3));
    const folds = leaveOutFolds(10, 5, 3);
    expect(folds.map((f) => f.heldOut)).toEqual([0, 1, 2, 3, 4].map((k) => order.slice(2 * k, 2 * k + 2).sort((a, b) => a - b)));
    expect(leaveOutFolds(10, 5, 3)).toEqual(folds);
    expect(leaveOutFolds(100, 5, 3).map((f) => [f.heldOut.length, f.kept.length])).toEqual(Array(5).fill([20, 80]));
    expect(leaveOutFolds(10, 5, 4).map((f) => f.heldOut)).not.toEqual(folds.map((f) => f.heldOut));
  });

  test.prop([fc.integer({ min: 2, max: 12 }), fc.integer({ min: 3, max: 60 }), fc.option(fc.integer())])(
    'holds out every class exactly once, in folds whose sizes differ by at most one',
    (folds, classes, seed) => {
      fc.pre(classes >= folds && classes - Math.ceil(classes / folds) >= 2);
      const result = leaveOutFolds(classes, folds, seed ?? undefined);
      expect(result).toHaveLength(folds);
      const all = Array.from({ length: classes }, (_, i) => i);
      expect(result.flatMap((f) => f.heldOut).sort((a, b) => a - b)).toEqual(all);
      const sizes = result.map((f) => f.heldOut.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      for (const f of result) {
        expect([...f.kept, ...f.heldOut].sort((a, b) => a - b)).toEqual(all);
        expect(f.kept.map((c) => f.remap[c])).toEqual(f.kept.map((_, j) => j));
        for (const c of f.heldOut) expect(f.remap[c]).toBe(-1);
      }
    },
  );

  it('7 classes in 5 folds: the first two folds hold out two classes, the others one', () => {
    expect(leaveOutFolds(7).map((f) => f.heldOut)).toEqual([[0, 1], [2, 3], [4], [5], [6]]);
  });

  it('refuses folds that cannot be filled or trained, naming the numbers', () => {
    expect(() => leaveOutFolds(4)).toThrow(DatasetError);
    expect(() => leaveOutFolds(4)).toThrow(/4 classes cannot fill 5 folds .* use folds <= 4/);
    expect(() => leaveOutFolds(3, 2)).toThrow(/holds out 2 and keeps 1 class\(es\), but each leave-out classifier needs at least 2/);
    expect(() => leaveOutFolds(10, 1)).toThrow(/folds must be an integer >= 2, got 1/);
    expect(() => leaveOutFolds(10.5)).toThrow(/classes must be an integer >= 2, got 10.5/);
    expect(() => leaveOutFolds(10, 5, Number.NaN)).toThrow(/seed must be a finite number/);
  });
});

describe('leaveOutSplit', () => {
  it('splits samples into kept ones (renumbered labels) and held-out ones', () => {
    const fold = leaveOutFolds(10)[1]!; // holds out 2 and 3
    const split = leaveOutSplit([0, 2, 9, 3, 4, 1], fold);
    expect(Array.from(split.keptIndices)).toEqual([0, 2, 4, 5]);
    expect(Array.from(split.keptLabels)).toEqual([0, 7, 2, 1]);
    expect(Array.from(split.heldOutIndices)).toEqual([1, 3]);
  });

  it('names a label outside the folds', () => {
    expect(() => leaveOutSplit(Uint8Array.from([1, 10]), leaveOutFolds(10)[0]!)).toThrow(
      /label 10 at index 1 is not a class id 0..9 of these folds/,
    );
  });
});
