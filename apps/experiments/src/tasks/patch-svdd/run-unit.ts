import { seed as seedRuntime } from '@curvad/runtime';
import { saveScores } from '../../core/artifacts/score-files';
import { trialSeed, unitSeed } from '../../core/seeds';
import { type UnitRecord, writeUnit } from '../../core/store/unit-store';
import type { UnitContext } from '../../core/task';
import type { PatchSvddConfig, PatchSvddModelName } from './config/patch-svdd-config';
import type { LoadedPatchSvddData } from './data/load-data';
import type { FloatImages } from './data/patch-pairs';
import { buildPatchSvdd } from './model/build-model';
import { scorePatchSvdd } from './score/score-model';
import { categoryMetricSets } from './score/segmentation-metrics';
import { standardizationOf, standardize } from './train/standardize';
import { trainPatchSvdd } from './train/train-model';

/** The one set of a row's raw score file: every test image's anomaly map, image after image, row-major. */
export const ANOMALY_MAPS_SET = 'anomaly maps';

/** Offset from the trial seed of the dagger scoring's jittered neighbours (the same for every model of a trial). */
const DAGGER_NEIGHBOUR_SEED_OFFSET = 500;

/** The first `count` images of `images` (all when absent). */
function firstImages(images: FloatImages, count: number | undefined): FloatImages {
  const [n, h, w, c] = images.shape;
  const keep = Math.min(n, count ?? n);
  return { pixels: images.pixels.subarray(0, keep * h * w * c), shape: [keep, h, w, c] };
}

/** A table row's name: the model, then the scoring ('SiT', 'SiT (Patch-SVDD scoring)'). */
export function rowMethod(model: string, scoring: 'dagger' | 'knn'): string {
  return scoring === 'dagger' ? model : `${model} (Patch-SVDD scoring)`;
}

/**
 * One unit: a model of one trial on one category, trained (seeded by trial and model alone), its
 * final step scored with each scoring, persisted at once: the raw anomaly maps (the artifact that
 * reproduces every metric), then unit.json last. unit.json's idAccuracy is 0 (no ID classification here).
 */
export async function runPatchSvddUnit(spec: UnitContext<PatchSvddConfig, LoadedPatchSvddData>): Promise<UnitRecord> {
  const model = spec.unit as PatchSvddModelName;
  const { config, data, signal } = spec;
  const started = performance.now();
  const seed = unitSeed(config.seed, spec.trial, spec.unitIndex);
  seedRuntime(seed);
  const statistics = standardizationOf(data.train);
  const train = standardize(data.train, statistics);
  const test = standardize(data.test.images, statistics);
  const built = buildPatchSvdd(model, config, data.train.shape[3], seed);
  try {
    const training = await trainPatchSvdd(built, train, config, seed, spec.progress, signal);
    const maps = scorePatchSvdd(
      built,
      config,
      firstImages(train, config.knnTrainImages),
      test,
      trialSeed(config.seed, spec.trial) + DAGGER_NEIGHBOUR_SEED_OFFSET,
      signal,
    );
    const [images, h, w] = data.test.images.shape;
    const methods = [...maps].map(([scoring, scoreMaps]) => ({
      method: rowMethod(model, scoring),
      model,
      score: scoring,
      perOod: categoryMetricSets({ maps: scoreMaps, masks: data.test.masks, defective: data.test.defective, shape: [images, h, w] }),
      detector: scoring === 'knn' ? ('knn' as const) : model === 'baseline' ? ('msp' as const) : ('geometric' as const),
    }));
    if (spec.saveScores) {
      for (const [scoring, scoreMaps] of maps) {
        await saveScores(spec.outDir, spec.configuration, spec.trial, rowMethod(model, scoring), [
          { set: ANOMALY_MAPS_SET, scores: scoreMaps },
        ]);
      }
    }
    const unit: UnitRecord = {
      configuration: spec.configuration,
      trial: spec.trial,
      seed: trialSeed(config.seed, spec.trial),
      model,
      wallTimeSec: (performance.now() - started) / 1000,
      idAccuracy: 0,
      training,
      methods,
      plots: { histograms: [], roc: [], embeddings: [] },
    };
    await writeUnit(spec.outDir, unit);
    return unit;
  } finally {
    built.dispose();
  }
}
