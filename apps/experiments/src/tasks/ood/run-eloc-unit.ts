// One ELOC unit (a configuration, a trial, the model 'ELOC' or 'ELOC+HiT'): trains its K leave-out
// classifiers, scores the ensemble, and persists it as runUnit does a single network: the members'
// weights (one folder each), raw scores, then unit.json last.
import { seed as seedRuntime } from '@curvad/runtime';
import { saveScores } from '../../core/artifacts/score-files';
import { trialSeed, unitSeed } from '../../core/seeds';
import { type UnitRecord, writeUnit } from '../../core/store/unit-store';
import type { UnitContext } from '../../core/task';
import { configurationConfig } from './config/configuration-config';
import type { ModelName, OodConfig } from './config/ood-config';
import type { ConfigurationData } from './data/load-data';
import { saveElocModels } from './model/eloc-model-dirs';
import { buildElocModels, disposeEloc } from './model/eloc-models';
import { scoreEloc } from './score/score-eloc';
import { trainElocModels } from './train/train-eloc';

export async function runElocUnit(spec: UnitContext<OodConfig, ConfigurationData>): Promise<UnitRecord> {
  const model = spec.unit as ModelName;
  const { data, signal } = spec;
  const config = configurationConfig(spec.config, spec.configuration);
  const started = performance.now();
  const seed = unitSeed(config.seed, spec.trial, spec.unitIndex);
  seedRuntime(seed);
  const [, height, width, channels] = data.train.shape;
  const eloc = buildElocModels(model, config, [height, width, channels], data.classes, seed);
  try {
    const training = await trainElocModels(eloc, data.train, config, seed, spec.progress, signal);
    const scored = await scoreEloc(eloc, config, data, undefined, signal);
    const last = training[training.length - 1];
    if (last) last.idAccuracy = scored.idAccuracy;
    const key = { configuration: spec.configuration, trial: spec.trial, model };
    await saveElocModels(spec.outDir, key, eloc);
    if (spec.saveScores) {
      for (const m of scored.methods) await saveScores(spec.outDir, spec.configuration, spec.trial, m.result.method, m.scores);
    }
    const unit: UnitRecord = {
      ...key,
      seed: trialSeed(config.seed, spec.trial),
      wallTimeSec: (performance.now() - started) / 1000,
      idAccuracy: scored.idAccuracy,
      training,
      methods: scored.methods.map((m) => ({ ...m.result, detector: m.detector })),
      plots: { histograms: scored.methods.map((m) => m.histogram), roc: scored.methods.flatMap((m) => m.roc), embeddings: [] },
      ...(data.inputStandardization ? { inputStandardization: data.inputStandardization } : {}),
    };
    await writeUnit(spec.outDir, unit);
    return unit;
  } finally {
    disposeEloc(eloc);
  }
}
