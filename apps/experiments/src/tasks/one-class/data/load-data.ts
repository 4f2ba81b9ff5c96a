import { cifar10, type DataFileRecord, fashionMnist, type ImageSet, mnist, shuffledIndices, takeImages } from '@curvad/datasets';
import { dataSeed } from '../../../core/seeds';
import type { LoadedData } from '../../../core/task';
import { ExperimentError } from '../../../experiment-error';
import type { OneClassConfig } from '../config/one-class-config';

/** The name of the anomalous test set in results.json (the configuration's one "OOD set"). */
export const ANOMALOUS_SET = 'other classes';

/**
 * One normal class's data: uint8 ImageSets (the datasets pipeline makes float batches of them),
 * images / 255 in [0, 1]. `train` holds only the normal class; the test split is cut into the
 * normal class's images and every other class's.
 */
export interface OneClassData {
  normalClass: number;
  train: ImageSet;
  normalTest: ImageSet;
  anomalousTest: ImageSet;
  files: Record<string, readonly DataFileRecord[]>;
}

export type LoadedOneClassData = OneClassData & LoadedData;

async function readSplit(dataset: OneClassConfig['dataset'], split: 'train' | 'test'): Promise<ImageSet> {
  switch (dataset) {
    case 'fashion-mnist':
      return fashionMnist({ split });
    case 'mnist':
      return mnist({ split });
    case 'cifar10':
      return cifar10({ split });
  }
}

/** The rows of `set` whose label is (or, with `keep` false, is not) `label`. */
export function rowsOfClass(set: ImageSet, label: number, keep = true): ImageSet {
  const rows: number[] = [];
  for (let i = 0; i < set.labels.length; i++) if ((set.labels[i] === label) === keep) rows.push(i);
  return takeImages(set, rows);
}

/** A seeded subset of at most `limit` rows, in their original order. */
function limitRows(set: ImageSet, limit: number | undefined, seed: number): ImageSet {
  if (limit === undefined || limit >= set.shape[0]) return set;
  return takeImages(
    set,
    Array.from(shuffledIndices(set.shape[0], seed).subarray(0, limit)).sort((a, b) => a - b),
  );
}

async function readSplits(
  config: OneClassConfig,
): Promise<{ train: ImageSet; test: ImageSet; trainFiles: readonly DataFileRecord[]; testFiles: readonly DataFileRecord[] }> {
  if (config.partition === undefined) {
    const train = await readSplit(config.dataset, 'train');
    const test = await readSplit(config.dataset, 'test');
    return { train, test, trainFiles: train.sourceFiles ?? [], testFiles: test.sourceFiles ?? [] };
  }
  const all = await readSplit(config.dataset, 'test');
  const order = shuffledIndices(all.shape[0], dataSeed(config.seed, 'partition'));
  const cut = Math.round(config.partition * order.length);
  const files = all.sourceFiles ?? [];
  return {
    train: takeImages(all, order.subarray(0, cut)),
    test: takeImages(all, order.subarray(cut)),
    trainFiles: files,
    testFiles: files,
  };
}

/**
 * The data of normal class `normalClass`: its training images (limits.train of them, seeded), and
 * the test split (limits.test of it, seeded, every class) cut into normal and anomalous images.
 * Seeded by the experiment seed, so every trial and model sees the same data.
 */
export async function loadOneClassData(config: OneClassConfig, normalClass: number): Promise<OneClassData> {
  const { train: trainAll, test: testAll, trainFiles, testFiles } = await readSplits(config);
  const [, height, width] = trainAll.shape;
  if (height !== width) {
    throw new ExperimentError(`${config.dataset} has ${height}x${width} images; RotNet's four rotations need square images.`);
  }
  const train = limitRows(rowsOfClass(trainAll, normalClass), config.limits.train, dataSeed(config.seed, 'trainLimit'));
  const test = limitRows(testAll, config.limits.test, dataSeed(config.seed, 'testLimit'));
  const normalTest = rowsOfClass(test, normalClass);
  const anomalousTest = rowsOfClass(test, normalClass, false);
  for (const [part, set] of [
    ['training images', train],
    ['normal test images', normalTest],
    ['anomalous test images', anomalousTest],
  ] as const) {
    if (set.shape[0] === 0) {
      throw new ExperimentError(
        `normal class ${normalClass} of ${config.dataset}: no ${part} (limits ${JSON.stringify(config.limits)}); pick a class present in the data or raise the limits.`,
      );
    }
  }
  return { normalClass, train, normalTest, anomalousTest, files: { train: trainFiles, test: testFiles } };
}
