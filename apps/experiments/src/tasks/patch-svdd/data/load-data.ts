// A category's data: defect-free training images and test images with pixel-exact defect masks.
// 'defect-benchmark' builds them with @curvad/datasets' defectBenchmark (the contract of issue 17):
// the category's Fashion-MNIST items upsampled to benchmark.size, training images from its TRAIN split
// without defects (defectFraction 0), test images from its TEST split with CutPaste patches and
// Perlin blends from the other classes' test images and MNIST test strokes. 'mvtec' reads the
// official folders with the MVTec AD reader (images and masks resized to mvtec.size; grey categories
// replicated to RGB; mvtec.test taken round-robin over the defect folders and good/, so a limited
// test set, as --quick's, still holds good and defective images).
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type DataFileRecord,
  defectBenchmark,
  fashionMnist,
  type ImageSet,
  indicesOfClass,
  MVTEC_CATEGORIES,
  type MvtecCategory,
  mnist,
  mvtecAd,
  takeImages,
} from '@curvad/datasets';
import type { LoadedData } from '../../../core/task';
import { ConfigError } from '../../../experiment-error';
import { categoryConfiguration, type PatchSvddConfig } from '../config/patch-svdd-config';

/**
 * Offsets from the experiment seed of a category's benchmark images (category c: base + 2c for the
 * training set, + 1 for the test set). The data do not depend on the trial: every trial and model
 * sees the same images. Far from core's DATA_SEED_OFFSETS and the segmentation task's 300s.
 */
export const BENCHMARK_SEED_OFFSET = 400;

export interface DefectTestSet {
  images: ImageSet;
  /** 1 on defect pixels, [count, h, w]. */
  masks: Uint8Array;
  /** Per image: 1 when it carries a defect. */
  defective: Uint8Array;
}

export interface PatchSvddData {
  category: number | string;
  /** Defect-free training images [n, h, w, c] uint8. */
  train: ImageSet;
  test: DefectTestSet;
  files: Record<string, readonly DataFileRecord[]>;
}

export type LoadedPatchSvddData = PatchSvddData & LoadedData;

/** The configuration's category (`class-3` -> 3, `bottle` -> 'bottle'); a ConfigError for one the config does not list. */
export function configurationCategory(config: PatchSvddConfig, configuration: string): number | string {
  const category = config.categories.find((c) => categoryConfiguration(c) === configuration);
  if (category === undefined) {
    throw new ConfigError(
      `patch-svdd: no category of this config is named '${configuration}'; its configurations are ${config.categories.map(categoryConfiguration).join(', ')}.`,
    );
  }
  return category;
}

function withoutClass(set: ImageSet, label: number): ImageSet {
  const keep: number[] = [];
  set.labels.forEach((l, i) => {
    if (l !== label) keep.push(i);
  });
  return takeImages(set, keep);
}

async function benchmarkCategory(config: PatchSvddConfig, category: number): Promise<PatchSvddData> {
  const b = config.benchmark;
  const [fashionTrain, fashionTest, digits] = await Promise.all([
    fashionMnist({ split: 'train' }),
    fashionMnist({ split: 'test' }),
    mnist({ split: 'test' }),
  ]);
  const normalsTrain = takeImages(fashionTrain, indicesOfClass(fashionTrain.labels, category));
  const normalsTest = takeImages(fashionTest, indicesOfClass(fashionTest.labels, category));
  const others = withoutClass(fashionTest, category);
  const seed = config.seed + BENCHMARK_SEED_OFFSET + 2 * category;
  const train = defectBenchmark({ normals: normalsTrain, others, count: b.train, seed, size: b.size, defectFraction: 0 });
  const test = defectBenchmark({
    normals: normalsTest,
    others,
    strokes: digits,
    count: b.test,
    seed: seed + 1,
    size: b.size,
    defectFraction: b.defectFraction,
  });
  return {
    category,
    train: { images: train.images, labels: train.labels, shape: train.shape },
    test: { images: { images: test.images, labels: test.labels, shape: test.shape }, masks: test.masks, defective: test.defective },
    files: { train: fashionTrain.sourceFiles ?? [], test: [...(fashionTest.sourceFiles ?? []), ...(digits.sourceFiles ?? [])] },
  };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isMvtecCategory(name: string): name is MvtecCategory {
  return (MVTEC_CATEGORIES as readonly string[]).includes(name);
}

async function mvtecCategory(config: PatchSvddConfig, category: string): Promise<PatchSvddData> {
  if (!isMvtecCategory(category)) {
    throw new ConfigError(`categories: '${category}' is not an MVTec AD category; choose from ${MVTEC_CATEGORIES.join(', ')}.`);
  }
  const o = config.mvtec;
  // The reader's own message for a missing folder lists where it looked; a mistyped mvtec.dir is
  // a config problem, so it is named as one before any category is looked for.
  if (o.dir !== undefined && !isFolder(o.dir)) {
    throw new ConfigError(
      `mvtec.dir: ${resolve(o.dir)} is not a folder; set it to the extracted mvtec_anomaly_detection folder (the one holding bottle/, cable/, ...), e.g. --set mvtec.dir=PATH.`,
    );
  }
  const read = (split: 'train' | 'test', limit: number | undefined) =>
    mvtecAd({ category, split, size: o.size, ...(o.dir ? { dir: o.dir } : {}), ...(limit !== undefined ? { limit } : {}) });
  const train = await read('train', o.train);
  const test = await read('test', o.test);
  return {
    category,
    train: { images: train.images, labels: train.labels, shape: train.shape },
    test: {
      images: { images: test.images, labels: test.labels, shape: test.shape },
      masks: test.masks,
      defective: Uint8Array.from(test.labels),
    },
    files: { train: train.sourceFiles ?? [], test: test.sourceFiles ?? [] },
  };
}

/** One category's data (seeded by the experiment seed alone: every trial and model sees the same images). */
export function loadPatchSvddData(config: PatchSvddConfig, configuration: string): Promise<PatchSvddData> {
  const category = configurationCategory(config, configuration);
  return typeof category === 'number' ? benchmarkCategory(config, category) : mvtecCategory(config, category);
}
