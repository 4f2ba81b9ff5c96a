import { saveModel } from '@curvad/geo-layers';
import { seed as seedRuntime } from '@curvad/runtime';
import { saveScores } from '../../core/artifacts/score-files';
import { accuracy, predictAll } from '../../core/predict';
import { type UnitRecord, unitModelDir, writeUnit } from '../../core/store/unit-store';
import type { ModelName, OodConfig } from './config/ood-config';
import type { ConfigurationData } from './data/load-data';
import { buildOodModel } from './model/build-model';
import { embeddingPlot } from './report/embedding-plot';
import { evaluationSets, scoreModel } from './score/score-model';
import { type TrainProgress, trainModel } from './train/train-model';

export interface UnitSpec {
  config: OodConfig;
  outDir: string;
  configuration: string;
  data: ConfigurationData;
  trial: number;
  model: ModelName;
  /** Position of the model in config.models (part of its seed). */
  modelIndex: number;
  saveScores: boolean;
  progress?: TrainProgress;
  signal?: AbortSignal;
}

/** The seed of a (trial, model) unit: every unit is seeded on its own, so it can run alone on resume. */
export function unitSeed(config: OodConfig, trial: number, modelIndex: number): number {
  return (config.seed + trial) * 31 + modelIndex;
}

/**
 * One unit of work: trains the model (seeded by trial and model alone), scores it with the run's
 * detectors, and persists it at once: weights (saveModel), raw scores, then unit.json last.
 * ID test accuracy is measured after every epoch (one forward pass over the ID test set: 16% of
 * an epoch's time when the test set is a third of the training set, measured on wasm); the last
 * epoch's is the scoring pass's own.
 */
export async function runUnit(spec: UnitSpec): Promise<UnitRecord> {
  const { config, data, signal } = spec;
  const started = performance.now();
  const seed = unitSeed(config, spec.trial, spec.modelIndex);
  seedRuntime(seed);
  const inputShape = data.train.shape.slice(1) as [number, number, number];
  const built = buildOodModel(spec.model, config, inputShape, data.classes, seed);
  try {
    const testAccuracy = async (epoch: number): Promise<number | undefined> => {
      if (epoch === config.epochs - 1) return undefined;
      const outputs = await predictAll(built.model, data.test, signal);
      try {
        return accuracy(outputs[built.predictionOutput]!, data.test.y);
      } finally {
        outputs.forEach((t) => t.dispose());
      }
    };
    const training = await trainModel(built, data.train, config, seed, spec.progress, signal, testAccuracy);
    const scored = await scoreModel(built, config, data, undefined, signal);
    const last = training[training.length - 1];
    if (last) last.idAccuracy = scored.idAccuracy;
    const embedding = await embeddingPlot(built, config, evaluationSets(data));
    await saveModel(built.model, unitModelDir(spec.outDir, spec));
    if (spec.saveScores) {
      for (const m of scored.methods) await saveScores(spec.outDir, spec.configuration, spec.trial, m.result.method, m.scores);
    }
    const unit: UnitRecord = {
      configuration: spec.configuration,
      trial: spec.trial,
      seed: config.seed + spec.trial,
      model: spec.model,
      wallTimeSec: (performance.now() - started) / 1000,
      idAccuracy: scored.idAccuracy,
      training,
      methods: scored.methods.map((m) => ({ ...m.result, detector: m.detector })),
      plots: {
        histograms: scored.methods.map((m) => m.histogram),
        roc: scored.methods.flatMap((m) => m.roc),
        embeddings: embedding ? [embedding] : [],
      },
    };
    await writeUnit(spec.outDir, unit);
    return unit;
  } finally {
    built.model.dispose();
  }
}
