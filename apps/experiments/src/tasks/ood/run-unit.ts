import { seed as seedRuntime } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { saveScores } from '../../core/artifacts/score-files';
import { saveUnitWeights } from '../../core/artifacts/weights';
import { accuracy, predict } from '../../core/predict';
import { trialSeed, unitSeed } from '../../core/seeds';
import { type UnitRecord, writeUnit } from '../../core/store/unit-store';
import type { UnitContext } from '../../core/task';
import { configurationConfig } from './config/configuration-config';
import { type ModelName, modelRecord, type OodConfig } from './config/ood-config';
import type { ConfigurationData } from './data/load-data';
import { buildOodModel } from './model/build-model';
import { embeddingPlot } from './report/embedding-plot';
import { runElocUnit } from './run-eloc-unit';
import { evaluationSets, scoreModel } from './score/score-model';
import { trainModel } from './train/train-model';

/**
 * One unit of work (an ELOC model: runElocUnit): trains the model (seeded by trial and model alone), scores it with the run's
 * detectors, and persists it at once: weights (saveModel), raw scores, then unit.json last.
 * ID test accuracy is measured after every epoch (one forward pass over the ID test set: 16% of
 * an epoch's time when the test set is a third of the training set, measured on wasm); the last
 * epoch's is the scoring pass's own.
 */
export async function runUnit(spec: UnitContext<OodConfig, ConfigurationData>): Promise<UnitRecord> {
  const model = spec.unit as ModelName;
  if (modelRecord(model).kind === 'eloc') return runElocUnit(spec);
  const { data, signal } = spec;
  // The configuration's own model settings (an ablation's) over the experiment config.
  const config = configurationConfig(spec.config, spec.configuration);
  const started = performance.now();
  const seed = unitSeed(config.seed, spec.trial, spec.unitIndex);
  seedRuntime(seed);
  const [, height, width, channels] = data.train.shape;
  const built = buildOodModel(model, config, [height, width, channels], data.classes, seed);
  try {
    const testAccuracy = async (epoch: number): Promise<number | undefined> => {
      if (epoch === config.epochs - 1) return undefined;
      const outputs = await predict(built.model, data.test, signal);
      try {
        return accuracy(outputs[built.predictionOutput]!, data.test.labels);
      } finally {
        tf.dispose(outputs);
      }
    };
    const training = await trainModel(built, data.train, config, seed, spec.progress, signal, testAccuracy);
    const scored = await scoreModel(built, config, data, undefined, signal);
    const last = training[training.length - 1];
    if (last) last.idAccuracy = scored.idAccuracy;
    const embedding = await embeddingPlot(built, config, evaluationSets(data));
    await saveUnitWeights(spec.outDir, { configuration: spec.configuration, trial: spec.trial, model }, built.model);
    if (spec.saveScores) {
      for (const m of scored.methods) await saveScores(spec.outDir, spec.configuration, spec.trial, m.result.method, m.scores);
    }
    const unit: UnitRecord = {
      configuration: spec.configuration,
      trial: spec.trial,
      seed: trialSeed(config.seed, spec.trial),
      model,
      wallTimeSec: (performance.now() - started) / 1000,
      idAccuracy: scored.idAccuracy,
      training,
      methods: scored.methods.map((m) => ({ ...m.result, detector: m.detector })),
      plots: {
        histograms: scored.methods.map((m) => m.histogram),
        roc: scored.methods.flatMap((m) => m.roc),
        embeddings: embedding ? [embedding] : [],
      },
      ...(data.inputStandardization ? { inputStandardization: data.inputStandardization } : {}),
    };
    await writeUnit(spec.outDir, unit);
    return unit;
  } finally {
    built.model.dispose();
  }
}
