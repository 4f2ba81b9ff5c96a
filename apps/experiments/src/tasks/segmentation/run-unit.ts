import { seed as seedRuntime } from '@curvad/runtime';
import { saveScores } from '../../core/artifacts/score-files';
import { saveUnitWeights } from '../../core/artifacts/weights';
import { trialSeed, unitSeed } from '../../core/seeds';
import { type UnitRecord, writeUnit } from '../../core/store/unit-store';
import type { UnitContext } from '../../core/task';
import type { SegmentationConfig, SegmentationModelName } from './config/segmentation-config';
import type { LoadedSegmentationData } from './data/load-data';
import { buildSegmenter } from './model/build-model';
import { SCORE_MAPS_SET } from './score/pixel-protocol';
import { scoreSegmenter } from './score/score-model';
import { trainSegmenter } from './train/train-model';

export { SCORE_MAPS_SET };

/**
 * One unit: a segmentation model of one trial, trained (seeded by trial and model alone) for the
 * config's epochs, the final epoch scored with every row of the model, persisted at once: weights,
 * raw score maps, then unit.json last. unit.json's idAccuracy is the mIoU of the known classes.
 */
export async function runSegmentationUnit(spec: UnitContext<SegmentationConfig, LoadedSegmentationData>): Promise<UnitRecord> {
  const model = spec.unit as SegmentationModelName;
  const { config, data, signal } = spec;
  const started = performance.now();
  const seed = unitSeed(config.seed, spec.trial, spec.unitIndex);
  seedRuntime(seed);
  const [, height, width, channels] = data.train.images.shape;
  const built = buildSegmenter(model, config, [height, width, channels], data.classes, seed);
  try {
    const training = await trainSegmenter(built, data.train, config, seed, spec.progress, signal);
    const scored = scoreSegmenter(built, config, data.test, data.classes, signal);
    const last = training[training.length - 1];
    if (last) last.idAccuracy = scored.miou;
    await saveUnitWeights(spec.outDir, { configuration: spec.configuration, trial: spec.trial, model }, built.model);
    if (spec.saveScores) {
      for (const r of scored.rows) {
        await saveScores(spec.outDir, spec.configuration, spec.trial, r.result.method, [{ set: SCORE_MAPS_SET, scores: r.maps }]);
      }
    }
    const unit: UnitRecord = {
      configuration: spec.configuration,
      trial: spec.trial,
      seed: trialSeed(config.seed, spec.trial),
      model,
      wallTimeSec: (performance.now() - started) / 1000,
      idAccuracy: scored.miou,
      training,
      methods: scored.rows.map((r) => ({ ...r.result, detector: r.row.unitDetector })),
      plots: { histograms: scored.rows.map((r) => r.histogram), roc: scored.rows.flatMap((r) => r.roc), embeddings: [] },
    };
    await writeUnit(spec.outDir, unit);
    return unit;
  } finally {
    built.model.dispose();
  }
}
