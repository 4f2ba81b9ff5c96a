import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { evaluate } from '@curvad/metrics';
import { seed as seedRuntime } from '@curvad/runtime';
import type { ConfigurationConfig, ModelName, OodConfig } from '../config/ood-config';
import { ExperimentError, InterruptedError } from '../experiment-error';
import { writeFileAtomic, writeReport } from '../report/write-report';
import { withSummaries } from '../results/summarize';
import {
  RESULTS_SCHEMA_VERSION,
  resultsFileSchema,
  type ConfigurationResult,
  type EmbeddingPlot,
  type MethodResult,
  type ResultsFile,
  type TrialResult,
} from '../results/results-file';
import { buildOodModel, MODEL_HEADS, type BuiltModel } from './build-model';
import { loadConfigurationData, type ConfigurationData, type FloatImages } from './load-data';
import { scoreHistogram, rocPlot } from './plot-data';
import { accuracy, predictAll } from './predict';
import { scoreMethods } from './score-methods';
import { trainModel, type TrainProgress } from './train-model';
import { slug } from '../slug';

export const RESULTS_FILE = 'results.json';

export interface RunReporter extends TrainProgress {
  log?(message: string): void;
  onTrialStart?(configuration: string, trial: number, trials: number, seed: number): void;
  onModelStart?(model: ModelName, index: number, count: number): void;
  onTrialEnd?(configuration: string, trial: TrialResult): void;
}

export interface RunOodOptions {
  config: OodConfig;
  outDir: string;
  /** The command line, recorded in results.json. */
  command: string;
  /** Name of the active tfjs backend and why (recorded). */
  backend: string;
  preset?: string;
  /** Continue the results.json in outDir (finished trials are kept, the rest run). */
  resume?: boolean;
  /** Write each method's raw scores under outDir/scores (default true). */
  saveScores?: boolean;
  reporter?: RunReporter;
  /** Abort to stop after the current step: finished trials are kept, the run can be resumed. */
  signal?: AbortSignal;
  /** Package versions etc. to record. */
  versions?: Record<string, string>;
}

export interface RunOodResult {
  results: ResultsFile;
  interrupted: boolean;
  reportFiles: string[];
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}


async function loadExisting(path: string, config: OodConfig): Promise<ResultsFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ExperimentError(`cannot read ${path} to resume (${(error as Error).message}); delete it or choose another --out.`);
  }
  const checked = resultsFileSchema.safeParse(parsed);
  if (!checked.success) throw new ExperimentError(`${path} is not a curvad results file (${checked.error.issues[0]?.message}); choose another --out.`);
  if (stableJson(checked.data.config) !== stableJson(config)) {
    throw new ExperimentError(`${path} was made with another experiment config; resume with the same preset and options, or choose another --out.`);
  }
  return checked.data;
}

/** JSON with object keys sorted, so two equal configs compare equal whatever order their keys were written in. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

function freshResults(options: RunOodOptions): ResultsFile {
  const { config } = options;
  const now = new Date().toISOString();
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    experiment: config.name,
    ...(options.preset ? { preset: options.preset } : {}),
    command: options.command,
    config,
    seeds: Array.from({ length: config.trials }, (_, i) => config.seed + i),
    backend: options.backend,
    versions: { node: process.version, '@tensorflow/tfjs-core': tf.version_core, ...options.versions },
    gitCommit: gitCommit(),
    startedAt: now,
    updatedAt: now,
    wallTimeSec: 0,
    complete: false,
    configurations: config.configurations.map((c) => ({
      name: c.name,
      description: c.description,
      idDataset: c.id.dataset + (c.id.classes ? ` classes ${c.id.classes.join(',')}` : ''),
      oodSets: c.ood.map((o) => o.name),
      trials: [],
    })),
  };
}

function concatScores(id: Float32Array, ood: Float32Array): { scores: Float32Array; labels: Uint8Array } {
  const scores = new Float32Array(id.length + ood.length);
  scores.set(id);
  scores.set(ood, id.length);
  return { scores, labels: new Uint8Array(scores.length).fill(1, id.length) };
}

/** Points of a 2-D embedding output, `perSet` of each set. */
async function embeddingPoints(model: tfl.LayersModel, outputIndex: number | 'projection', sets: { name: string; images: FloatImages }[], perSet: number): Promise<EmbeddingPlot['points']> {
  const sub =
    outputIndex === 'projection'
      ? tfl.model({ inputs: model.inputs, outputs: model.getLayer('projection').output as tfl.SymbolicTensor })
      : null;
  const points: EmbeddingPlot['points'] = [];
  for (const set of sets) {
    const count = Math.min(perSet, set.images.shape[0]);
    const per = set.images.shape[1] * set.images.shape[2] * set.images.shape[3];
    const slice: FloatImages = { x: set.images.x.subarray(0, count * per), shape: [count, set.images.shape[1], set.images.shape[2], set.images.shape[3]] };
    const outputs = await predictAll(sub ?? model, slice);
    const values = outputs[outputIndex === 'projection' ? 0 : outputIndex]!.dataSync();
    outputs.forEach((t) => t.dispose());
    for (let i = 0; i < count; i++) points.push({ x: values[2 * i]!, y: values[2 * i + 1]!, set: set.name });
  }
  return points;
}

async function embeddingPlot(built: BuiltModel, config: OodConfig, sets: { name: string; images: FloatImages }[]): Promise<EmbeddingPlot | null> {
  if (config.embeddingDim !== 2 || config.embeddingPlotPoints === 0) return null;
  const head = MODEL_HEADS[built.name];
  if (head.kind === 'baseline') {
    return { model: built.name, geometry: 'euclidean', points: await embeddingPoints(built.model, 'projection', sets, config.embeddingPlotPoints) };
  }
  if (head.kind !== 'gio' || head.geometry === 'mixed') return null;
  const space = head.geometry === 'sphere' ? 'sphere' : 'poincare';
  const output = built.spec!.outputs.find((o) => o.role === 'embedding' && o.space === space);
  if (!output) return null;
  const k = config.curvatures[built.name as 'SiO' | 'HiO'];
  return { model: built.name, geometry: space, radius: 1 / Math.sqrt(Math.abs(k)), points: await embeddingPoints(built.model, output.index, sets, config.embeddingPlotPoints) };
}

async function runTrial(
  options: RunOodOptions,
  configuration: ConfigurationConfig,
  data: ConfigurationData,
  trial: number,
  withPlots: boolean,
): Promise<TrialResult> {
  const { config, reporter, signal } = options;
  const seed = config.seed + trial;
  const started = performance.now();
  const idAccuracy: Record<string, number> = {};
  const methods: MethodResult[] = [];
  const plots: NonNullable<TrialResult['plots']> = { histograms: [], roc: [], embeddings: [] };
  const inputShape = data.train.shape.slice(1) as [number, number, number];
  const evalSets = [{ name: 'ID', images: data.test as FloatImages }, ...data.ood];
  for (const [index, modelName] of config.models.entries()) {
    reporter?.onModelStart?.(modelName, index, config.models.length);
    seedRuntime(seed * 31 + index);
    const built = buildOodModel(modelName, config, inputShape, data.classes, seed * 31 + index);
    try {
      await trainModel(built, data.train, config, seed * 31 + index, reporter, signal);
      const perSet: tf.Tensor2D[][] = [];
      try {
        for (const set of evalSets) perSet.push(await predictAll(built.model, set.images, signal));
        idAccuracy[modelName] = accuracy(perSet[0]![built.predictionOutput]!, data.test.y);
        for (const method of scoreMethods(built, config)) {
          if (signal?.aborted) throw new InterruptedError('interrupted during scoring');
          const scores = evalSets.map((set, i) => method.compute(perSet[i]!, set.images));
          const perOod: MethodResult['perOod'] = {};
          data.ood.forEach((set, i) => {
            const { scores: s, labels } = concatScores(scores[0]!, scores[i + 1]!);
            perOod[set.name] = evaluate(s, labels);
          });
          methods.push({ method: method.method, model: modelName, score: method.score, perOod });
          if (options.saveScores !== false) await saveScores(options.outDir, configuration.name, trial, method.method, evalSets.map((s, i) => ({ set: s.name, scores: scores[i]! })));
          if (withPlots) {
            plots.histograms.push(scoreHistogram(method.method, evalSets.map((s, i) => ({ name: s.name, scores: scores[i]! }))));
            data.ood.forEach((set, i) => plots.roc.push(rocPlot(method.method, set.name, scores[0]!, scores[i + 1]!)));
          }
        }
      } finally {
        perSet.flat().forEach((t) => t.dispose());
      }
      if (withPlots) {
        const plot = await embeddingPlot(built, config, evalSets);
        if (plot) plots.embeddings.push(plot);
      }
    } finally {
      built.model.dispose();
    }
  }
  return {
    trial,
    seed,
    status: 'completed',
    wallTimeSec: (performance.now() - started) / 1000,
    idAccuracy,
    methods,
    ...(withPlots ? { plots } : {}),
  };
}

/** Raw scores of one method: `<method>.f32` (the sets one after another) and an entry in index.json. */
async function saveScores(outDir: string, configuration: string, trial: number, method: string, sets: { set: string; scores: Float32Array }[]): Promise<void> {
  const dir = join(outDir, 'scores', configuration, `trial-${trial}`);
  await mkdir(dir, { recursive: true });
  const total = sets.reduce((n, s) => n + s.scores.length, 0);
  const all = new Float32Array(total);
  let offset = 0;
  for (const s of sets) {
    all.set(s.scores, offset);
    offset += s.scores.length;
  }
  const file = `${slug(method)}.f32`;
  await writeFileAtomic(join(dir, file), new Uint8Array(all.buffer));
  const indexPath = join(dir, 'index.json');
  const index: Record<string, { file: string; sets: { set: string; count: number }[] }> = existsSync(indexPath) ? JSON.parse(await readFile(indexPath, 'utf8')) : {};
  index[method] = { file, sets: sets.map((s) => ({ set: s.set, count: s.scores.length })) };
  await writeFileAtomic(indexPath, JSON.stringify(index, null, 1));
}

function oneLineSummary(trial: TrialResult): string {
  const best = trial.methods
    .map((m) => ({ method: m.method, auroc: Object.values(m.perOod).reduce((a, x) => a + x.auroc, 0) / Math.max(1, Object.keys(m.perOod).length) }))
    .sort((a, b) => b.auroc - a.auroc);
  const acc = Object.entries(trial.idAccuracy).map(([m, a]) => `${m} ${(100 * a).toFixed(1)}%`).join(', ');
  return `trial ${trial.trial} (seed ${trial.seed}) ${trial.wallTimeSec.toFixed(0)} s; ID acc: ${acc}; mean AUROC: ${best.map((b) => `${b.method} ${(100 * b.auroc).toFixed(1)}`).join(', ')}`;
}

/**
 * Runs a multi-class OOD experiment: for each configuration and trial, train every model, score
 * the ID test set and every OOD set with every method, and evaluate with @curvad/metrics.
 * results.json is rewritten (atomically) after every trial, so an interruption loses at most the
 * trial in progress; a trial that throws is recorded as failed and the run goes on.
 */
export async function runOodExperiment(options: RunOodOptions): Promise<RunOodResult> {
  const { config, outDir, reporter } = options;
  await mkdir(outDir, { recursive: true });
  const resultsPath = join(outDir, RESULTS_FILE);
  let results: ResultsFile;
  if (existsSync(resultsPath)) {
    if (!options.resume) throw new ExperimentError(`${outDir} already holds a ${RESULTS_FILE}; pass --resume to continue it, or choose another --out.`);
    results = await loadExisting(resultsPath, config);
    reporter?.log?.(`resuming ${resultsPath}`);
  } else {
    results = freshResults(options);
  }
  const previousWall = results.wallTimeSec;
  const started = performance.now();
  const save = async () => {
    results.updatedAt = new Date().toISOString();
    results.wallTimeSec = previousWall + (performance.now() - started) / 1000;
    await writeFileAtomic(resultsPath, JSON.stringify(withSummaries(results), null, 1));
  };
  let interrupted = false;
  outer: for (const configuration of config.configurations) {
    const record = results.configurations.find((c) => c.name === configuration.name) as ConfigurationResult;
    const pending = Array.from({ length: config.trials }, (_, t) => t).filter((t) => !record.trials.some((r) => r.trial === t && r.status === 'completed'));
    if (pending.length === 0) continue;
    reporter?.log?.(`${configuration.name}: loading data`);
    const data = await loadConfigurationData(config, configuration);
    reporter?.log?.(
      `${configuration.name}: ${data.train.shape[0]} training and ${data.test.shape[0]} test images (${data.classes} classes); OOD: ${data.ood.map((o) => `${o.name} ${o.images.shape[0]}`).join(', ')}`,
    );
    for (const trial of pending) {
      if (options.signal?.aborted) {
        interrupted = true;
        break outer;
      }
      reporter?.onTrialStart?.(configuration.name, trial, config.trials, config.seed + trial);
      const withPlots = !record.trials.some((r) => r.status === 'completed' && r.plots);
      let result: TrialResult;
      try {
        result = await runTrial(options, configuration, data, trial, withPlots);
      } catch (error) {
        if (error instanceof InterruptedError) {
          interrupted = true;
          break outer;
        }
        const message = error instanceof Error ? error.message : String(error);
        result = { trial, seed: config.seed + trial, status: 'failed', error: message, wallTimeSec: 0, idAccuracy: {}, methods: [] };
        reporter?.log?.(`trial ${trial} of ${configuration.name} failed: ${message}`);
      }
      record.trials = [...record.trials.filter((r) => r.trial !== trial), result].sort((a, b) => a.trial - b.trial);
      await save();
      if (result.status === 'completed') {
        reporter?.onTrialEnd?.(configuration.name, result);
        reporter?.log?.(`${configuration.name}: ${oneLineSummary(result)}`);
      }
    }
  }
  results.complete = !interrupted && results.configurations.every((c) => c.trials.filter((t) => t.status === 'completed').length === config.trials);
  await save();
  const report = await writeReport(outDir, results);
  return { results, interrupted, reportFiles: report.files };
}
