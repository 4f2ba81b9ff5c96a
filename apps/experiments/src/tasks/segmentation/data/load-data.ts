// A segmentation run's data: training scenes of known classes only, and test scenes holding
// anomalies, every pixel labelled. 'fmnist-scenes' composes them (datasets' segmentationScenes):
// Fashion-MNIST items on a (noisy) background, MNIST digits as the unknown class; the training
// scenes come from the Fashion-MNIST training split and hold no anomaly, the test scenes' items from
// the test splits. 'streethazards' reads the official folders.
import {
  type DataFileRecord,
  fashionMnist,
  type ImageSet,
  mnist,
  STREET_HAZARDS_ANOMALY_CLASS,
  STREET_HAZARDS_CLASS_NAMES,
  segmentationScenes,
  streetHazards,
} from '@curvad/datasets';
import type { LoadedData } from '../../../core/task';
import type { SegmentationConfig } from '../config/segmentation-config';

/** Label of pixels that take no part in the loss or the mIoU (anomalies, StreetHazards' unlabelled pixels). */
export const IGNORE_LABEL = 255;

/**
 * Offsets from the experiment seed of the composed scenes (the data do not depend on the trial, so
 * every trial and model sees the same scenes). Far from core's DATA_SEED_OFFSETS.
 */
export const SCENE_SEED_OFFSETS = { trainScenes: 300, testScenes: 301 } as const;

/** One split of scenes: uint8 images [n, h, w, c], per-pixel training labels and anomaly masks [n, h, w]. */
export interface SceneSplit {
  images: ImageSet;
  /** Known class ids 0..classes-1, IGNORE_LABEL on anomalous and unlabelled pixels. */
  labels: Uint8Array;
  /** 1 on anomalous pixels. */
  masks: Uint8Array;
}

export interface SegmentationData {
  train: SceneSplit;
  test: SceneSplit;
  /** Known classes the classifiers predict (their names in `classNames`). */
  classes: number;
  classNames: readonly string[];
  files: Record<string, readonly DataFileRecord[]>;
}

export type LoadedSegmentationData = SegmentationData & LoadedData;

/** Class maps of segmentationScenes (objects 0..K-1, background K, anomaly K+1) as training labels: anomaly -> IGNORE_LABEL. */
function sceneLabels(classMaps: Uint8Array, anomalyClass: number): Uint8Array {
  return classMaps.map((c) => (c === anomalyClass ? IGNORE_LABEL : c));
}

type ComposedScenes = ReturnType<typeof segmentationScenes>;

function composedSplit(set: ComposedScenes): SceneSplit {
  return {
    images: { images: set.images, labels: set.labels, shape: set.shape },
    labels: sceneLabels(set.classMaps, set.anomalyClass),
    masks: set.masks,
  };
}

function sceneOptions(config: SegmentationConfig) {
  const s = config.scenes;
  return { sceneSize: s.size, grid: s.grid, objectProbability: s.objectProbability, backgroundNoise: s.backgroundNoise };
}

/** The test scenes: Fashion-MNIST test items and MNIST test digits (seeded on their own, so they do not depend on the training scenes). */
function composeTestScenes(config: SegmentationConfig, objects: ImageSet, anomalies: ImageSet): ComposedScenes {
  return segmentationScenes({
    ...sceneOptions(config),
    objects,
    anomalies,
    anomaliesPerScene: config.scenes.anomaliesPerScene,
    count: config.scenes.test,
    seed: config.seed + SCENE_SEED_OFFSETS.testScenes,
  });
}

const testSources = () => Promise.all([fashionMnist({ split: 'test' }), mnist({ split: 'test' })]);

async function composedScenes(config: SegmentationConfig): Promise<SegmentationData> {
  const [fashionTrain, [fashionTest, digits]] = await Promise.all([fashionMnist({ split: 'train' }), testSources()]);
  const train = segmentationScenes({
    ...sceneOptions(config),
    objects: fashionTrain,
    count: config.scenes.train,
    seed: config.seed + SCENE_SEED_OFFSETS.trainScenes,
  });
  const test = composeTestScenes(config, fashionTest, digits);
  return {
    train: composedSplit(train),
    test: composedSplit(test),
    classes: train.backgroundClass + 1,
    classNames: train.classNames!.slice(0, train.backgroundClass + 1),
    files: { train: fashionTrain.sourceFiles ?? [], test: [...(fashionTest.sourceFiles ?? []), ...(digits.sourceFiles ?? [])] },
  };
}

/** StreetHazards ids (0 unlabelled, 1..12 known, 13 anomaly) as training labels: known id - 1, the rest IGNORE_LABEL. */
export function streetHazardsLabels(classMaps: Uint8Array): Uint8Array {
  return classMaps.map((c) => (c === 0 || c === STREET_HAZARDS_ANOMALY_CLASS ? IGNORE_LABEL : c - 1));
}

function readStreetHazards(config: SegmentationConfig, split: 'train' | 'test') {
  const o = config.streetHazards;
  const limit = split === 'train' ? o.train : o.test;
  return streetHazards({ split, size: o.size, ...(o.dir ? { dir: o.dir } : {}), ...(limit !== undefined ? { limit } : {}) });
}

function streetHazardsSplit(set: Awaited<ReturnType<typeof streetHazards>>): SceneSplit {
  return {
    images: { images: set.images, labels: set.labels, shape: set.shape },
    labels: streetHazardsLabels(set.classMaps),
    masks: set.masks,
  };
}

async function streetHazardsScenes(config: SegmentationConfig): Promise<SegmentationData> {
  const [train, test] = [await readStreetHazards(config, 'train'), await readStreetHazards(config, 'test')];
  return {
    train: streetHazardsSplit(train),
    test: streetHazardsSplit(test),
    classes: STREET_HAZARDS_ANOMALY_CLASS - 1,
    classNames: STREET_HAZARDS_CLASS_NAMES.slice(1, STREET_HAZARDS_ANOMALY_CLASS),
    files: { train: train.sourceFiles ?? [], test: test.sourceFiles ?? [] },
  };
}

/** The run's scenes (seeded by the experiment seed alone: every trial and model sees the same data). */
export function loadSegmentationData(config: SegmentationConfig): Promise<SegmentationData> {
  return config.dataset === 'streethazards' ? streetHazardsScenes(config) : composedScenes(config);
}

/**
 * The run's test scenes alone, the same as loadSegmentationData(config).test (the report redraws them
 * without composing or reading the training scenes).
 */
export async function loadSegmentationTestScenes(config: SegmentationConfig): Promise<SceneSplit> {
  if (config.dataset === 'streethazards') return streetHazardsSplit(await readStreetHazards(config, 'test'));
  const [fashionTest, digits] = await testSources();
  return composedSplit(composeTestScenes(config, fashionTest, digits));
}
