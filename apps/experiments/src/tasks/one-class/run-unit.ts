import { seed as seedRuntime } from '@curvad/runtime';
import { saveScores } from '../../core/artifacts/score-files';
import { saveUnitWeights } from '../../core/artifacts/weights';
import { trialSeed, unitSeed } from '../../core/seeds';
import { type UnitRecord, writeUnit } from '../../core/store/unit-store';
import type { UnitContext } from '../../core/task';
import type { OneClassConfig, OneClassModelName } from './config/one-class-config';
import type { LoadedOneClassData } from './data/load-data';
import { buildOneClassModel } from './model/build-one-class-model';
import { scoreRotNet } from './score/score-model';
import { trainRotNet } from './train/train-model';

/**
 * One unit: a RotNet or CSI model of one normal class and trial, trained (seeded by trial and model
 * alone) for the config's epochs, the final epoch scored with every row of its scorings, persisted
 * at once: weights, raw scores, then unit.json last. unit.json's idAccuracy is the rotation
 * accuracy on the normal test images (all four rotations).
 */
export async function runOneClassUnit(spec: UnitContext<OneClassConfig, LoadedOneClassData>): Promise<UnitRecord> {
  const model = spec.unit as OneClassModelName;
  const { config, data, signal } = spec;
  const started = performance.now();
  const seed = unitSeed(config.seed, spec.trial, spec.unitIndex);
  seedRuntime(seed);
  const [, height, width, channels] = data.train.shape;
  const built = buildOneClassModel(model, config, [height, width, channels], seed);
  try {
    const training = await trainRotNet(built, data, config, seed, spec.progress, signal);
    const scored = scoreRotNet(built, config, data, spec.trial, signal);
    const last = training[training.length - 1];
    if (last) last.idAccuracy = scored.rotationAccuracy;
    await saveUnitWeights(spec.outDir, { configuration: spec.configuration, trial: spec.trial, model }, built.model);
    if (spec.saveScores) {
      for (const r of scored.rows) await saveScores(spec.outDir, spec.configuration, spec.trial, r.result.method, r.scores);
    }
    const unit: UnitRecord = {
      configuration: spec.configuration,
      trial: spec.trial,
      seed: trialSeed(config.seed, spec.trial),
      model,
      wallTimeSec: (performance.now() - started) / 1000,
      idAccuracy: scored.rotationAccuracy,
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
