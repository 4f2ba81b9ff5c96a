import { DatasetError } from '../errors.js';

/**
 * Throws when a label is outside 0..classCount-1, naming the file, the index of the first bad
 * label and its value: a label byte of 200 in a 10-class dataset is a corrupt or foreign file,
 * and reading it would train on a class that does not exist (or index past a one-hot).
 */
export function assertLabelsInRange(labels: ArrayLike<number>, classCount: number, file: string, dataset: string): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!(label >= 0 && label < classCount)) {
      throw new DatasetError(
        `${file}: label ${label} at index ${i} is outside ${dataset}'s classes 0..${classCount - 1}; the file is corrupt or belongs to another dataset. Delete it and fetch it again.`,
        { path: file },
      );
    }
  }
}
