import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic, writeReport } from '../../core/report/write-report';
import { type DataFile, RESULTS_SCHEMA_VERSION, type ResultsFile, type TrialResult } from '../../core/results/results-file';
import { assembleResults } from '../../core/store/assemble-results';
import { holdsRun, openExistingRun, RESULTS_FILE } from '../../core/store/open-run';
import { prepareOutDir, removeIfEmpty } from '../../core/store/out-dir';
import { removeStaleTempFiles } from '../../core/store/stale-temp-files';
import { type UnitRecord, unitKey, writeRunHeader } from '../../core/store/unit-store';
import { ExperimentError, InterruptedError } from '../../experiment-error';
import type { ModelName, OodConfig } from './config/ood-config';
import { type ConfigurationData, loadConfigurationData } from './data/load-data';
import { runUnit } from './run-unit';
import type { TrainProgress } from './train/train-model';

export { RESULTS_FILE } from '../../core/store/open-run';

/** The whole run's work, sent once before any training (for a whole-run ETA). */
export interface RunPlan {
  /** All (configuration, trial, model) units of the run. */
  units: number;
  /** Units already finished (resuming). */
  unitsDone: number;
  /** Training steps per unit: epochs x steps per epoch (of the first configuration whose data is loaded). */
  stepsPerUnit: number;
}

export interface UnitEnd {
  configuration: string;
  trial: number;
  model: string;
  seconds: number;
}

export interface RunReporter extends TrainProgress {
  log?(message: string): void;
  onRunPlan?(plan: RunPlan): void;
  onTrialStart?(configuration: string, trial: number, trials: number, seed: number): void;
  onModelStart?(model: ModelName, index: number, count: number): void;
  onUnitEnd?(unit: UnitEnd): void;
  onTrialEnd?(configuration: string, trial: TrialResult): void;
}

export interface RunOodOptions {
  config: OodConfig;
  outDir: string;
  /** The command line, recorded in results.json. */
  command: string;
  /** Short name of the active tfjs backend ('wasm', 'cpu', 'tensorflow'), recorded. */
  backend: string;
  /** Why that backend was chosen (initBackend's summary sentence), recorded. */
  backendDetail?: string;
  preset?: string;
  /** A `--quick` smoke run (recorded; the report says its numbers are not comparable). */
  quick?: boolean;
  /**
   * Continue the run in outDir: finished (configuration, trial, model) units are kept, the rest
   * run; a larger `config.trials` adds trials. Refused when outDir holds no run.
   */
  resume?: boolean;
  /** Write each method's raw scores under outDir/scores (default true). */
  saveScores?: boolean;
  /** Write tables.md, tables.csv, plots/ and report.html at the end (default true; `curvad report DIR` can do it later). */
  report?: boolean;
  reporter?: RunReporter;
  /** Abort to stop after the current step: finished units are kept, the run can be resumed. */
  signal?: AbortSignal;
  /** Package versions etc. to record. */
  versions?: Record<string, string>;
}

export interface RunOodResult {
  results: ResultsFile;
  interrupted: boolean;
  /**
   * The results.json written (from the moment the first configuration's data is loaded; it may hold
   * no finished trial yet), or null when the run stopped before that and left nothing in outDir.
   */
  resultsFile: string | null;
  /** The report's files; empty while no trial has finished or failed. */
  reportFiles: string[];
  /** Units finished over the whole run (this session and earlier ones). */
  unitsDone: number;
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

/** JSON with object keys sorted, so two equal configs compare equal whatever order their keys were written in. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function freshHeader(options: RunOodOptions): ResultsFile {
  const { config } = options;
  const now = new Date().toISOString();
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    experiment: config.name,
    ...(options.preset ? { preset: options.preset } : {}),
    ...(options.quick !== undefined ? { quick: options.quick } : {}),
    command: options.command,
    config,
    seeds: Array.from({ length: config.trials }, (_, i) => config.seed + i),
    backend: options.backend,
    ...(options.backendDetail ? { backendDetail: options.backendDetail } : {}),
    dataFiles: [],
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

/** The files read for one configuration, per part, as results.json records them. */
function dataFilesOf(configuration: string, data: ConfigurationData): DataFile[] {
  return Object.entries(data.files).flatMap(([part, files]) =>
    files.map((f) => ({ configuration, part, path: f.path, bytes: f.bytes, sha256: f.sha256 })),
  );
}

function oneLineSummary(trial: TrialResult): string {
  const best = trial.methods
    .map((m) => ({
      method: m.method,
      auroc: Object.values(m.perOod).reduce((a, x) => a + x.auroc, 0) / Math.max(1, Object.keys(m.perOod).length),
    }))
    .sort((a, b) => b.auroc - a.auroc);
  const acc = Object.entries(trial.idAccuracy)
    .map(([m, a]) => `${m} ${(100 * a).toFixed(1)}%`)
    .join(', ');
  return `trial ${trial.trial} (seed ${trial.seed}) ${trial.wallTimeSec.toFixed(0)} s; ID acc: ${acc}; mean AUROC: ${best.map((b) => `${b.method} ${(100 * b.auroc).toFixed(1)}`).join(', ')}`;
}

/**
 * Runs a multi-class OOD experiment: for each configuration, trial and model (a unit), train the
 * model, score the ID test set and every OOD set with every method, evaluate with @curvad/metrics,
 * and persist the unit at once (weights, scores, unit.json). results.json is rebuilt from the
 * units after every unit, so an interruption loses at most the unit in progress; a unit that
 * throws marks its trial failed and the run goes on with the next trial.
 *
 * Before reading any data, the out folder is checked (created, a probe file written): a path that
 * is a file, read-only or not permitted fails at once with an ExperimentError. A run that fails
 * before writing anything removes the folder it created. Temporary files of killed runs are removed.
 */
export async function runOodExperiment(options: RunOodOptions): Promise<RunOodResult> {
  const { config, reporter, signal } = options;
  const prepared = await prepareOutDir(options.outDir);
  const outDir = prepared.dir;
  let wroteSomething = false;
  try {
    const stale = await removeStaleTempFiles(outDir);
    if (stale.length > 0) reporter?.log?.(`removed ${stale.length} temporary file(s) left by a killed run in ${outDir}`);
    if (!options.resume && holdsRun(outDir)) {
      throw new ExperimentError(
        `${outDir} already holds a run (${RESULTS_FILE} or units/); pass --resume to continue it, or choose another --out.`,
      );
    }
    const existing = options.resume ? await openExistingRun(outDir, config) : null;
    wroteSomething = existing !== null;
    if (existing?.rebuilt)
      reporter?.log?.(
        `${join(outDir, RESULTS_FILE)} is missing or unreadable: rebuilding it from the ${existing.units.size} finished unit(s) in ${join(outDir, 'units')}`,
      );
    else if (existing) reporter?.log?.(`resuming ${outDir}: ${existing.units.size} finished unit(s)`);
    const header = existing ? existing.header : freshHeader(options);
    const recordedTrials = Math.max(config.trials, (header.config as OodConfig).trials);
    header.config = { ...config, trials: recordedTrials };
    header.seeds = Array.from({ length: recordedTrials }, (_, i) => config.seed + i);
    const units = existing?.units ?? new Map<string, UnitRecord>();
    const legacy = existing?.legacyTrials ?? new Map<string, TrialResult[]>();
    const failures = new Map<string, TrialResult[]>();
    const previousWall = header.wallTimeSec;
    const started = performance.now();
    let results = assembleResults(header, config.models, units, legacy, failures);

    const save = async (): Promise<void> => {
      header.updatedAt = new Date().toISOString();
      header.wallTimeSec = previousWall + (performance.now() - started) / 1000;
      await writeRunHeader(outDir, header);
      wroteSomething = true;
      results = assembleResults(header, config.models, units, legacy, failures);
      await writeFileAtomic(join(outDir, RESULTS_FILE), JSON.stringify(results, null, 1));
    };
    if (existing?.rebuilt) await save();

    const isDone = (configuration: string, trial: number, model: string) =>
      units.has(unitKey({ configuration, trial, model })) || (legacy.get(configuration) ?? []).some((t) => t.trial === trial);
    const allUnits = config.configurations.flatMap((c) =>
      Array.from({ length: config.trials }, (_, trial) => config.models.map((model) => ({ configuration: c.name, trial, model }))).flat(),
    );
    const plan = { units: allUnits.length, unitsDone: allUnits.filter((u) => isDone(u.configuration, u.trial, u.model)).length };
    let planSent = false;
    const sendPlan = (stepsPerUnit: number) => {
      if (!planSent) reporter?.onRunPlan?.({ ...plan, stepsPerUnit });
      planSent = true;
    };

    let interrupted = false;
    outer: for (const configuration of config.configurations) {
      const pending = Array.from({ length: config.trials }, (_, t) => t).filter((t) =>
        config.models.some((m) => !isDone(configuration.name, t, m)),
      );
      if (pending.length === 0) continue;
      if (signal?.aborted) {
        interrupted = true;
        break;
      }
      reporter?.log?.(`${configuration.name}: loading data`);
      const data = await loadConfigurationData(config, configuration);
      reporter?.log?.(
        `${configuration.name}: ${data.train.shape[0]} training and ${data.test.shape[0]} test images (${data.classes} classes); OOD: ${data.ood.map((o) => `${o.name} ${o.images.shape[0]}`).join(', ')}`,
      );
      header.dataFiles = [
        ...(header.dataFiles ?? []).filter((f) => f.configuration !== configuration.name),
        ...dataFilesOf(configuration.name, data),
      ];
      await save();
      sendPlan(config.epochs * Math.ceil(data.train.shape[0] / config.batchSize));
      for (const trial of pending) {
        if (signal?.aborted) {
          interrupted = true;
          break outer;
        }
        reporter?.onTrialStart?.(configuration.name, trial, config.trials, config.seed + trial);
        failures.set(
          configuration.name,
          (failures.get(configuration.name) ?? []).filter((t) => t.trial !== trial),
        );
        try {
          for (const [modelIndex, model] of config.models.entries()) {
            if (isDone(configuration.name, trial, model)) continue;
            if (signal?.aborted) throw new InterruptedError('interrupted between models');
            reporter?.onModelStart?.(model, modelIndex, config.models.length);
            const unitStarted = performance.now();
            const unit = await runUnit({
              config,
              outDir,
              configuration: configuration.name,
              data,
              trial,
              model,
              modelIndex,
              saveScores: options.saveScores !== false,
              progress: reporter,
              signal,
            });
            units.set(unitKey(unit), unit);
            await save();
            reporter?.onUnitEnd?.({ configuration: configuration.name, trial, model, seconds: (performance.now() - unitStarted) / 1000 });
          }
        } catch (error) {
          if (error instanceof InterruptedError) {
            interrupted = true;
            break outer;
          }
          const message = error instanceof Error ? error.message : String(error);
          failures
            .get(configuration.name)!
            .push({ trial, seed: config.seed + trial, status: 'failed', error: message, wallTimeSec: 0, idAccuracy: {}, methods: [] });
          reporter?.log?.(`trial ${trial} of ${configuration.name} failed: ${message}`);
          await save();
          continue;
        }
        const result = results.configurations.find((c) => c.name === configuration.name)!.trials.find((t) => t.trial === trial)!;
        reporter?.onTrialEnd?.(configuration.name, result);
        reporter?.log?.(`${configuration.name}: ${oneLineSummary(result)}`);
      }
    }
    if (!planSent) sendPlan(0);
    if (wroteSomething) await save();
    const hasTrials = results.configurations.some((c) => c.trials.length > 0);
    const reportFiles = hasTrials && options.report !== false ? (await writeReport(outDir, results)).files : [];
    return { results, interrupted, resultsFile: wroteSomething ? join(outDir, RESULTS_FILE) : null, reportFiles, unitsDone: units.size };
  } finally {
    // A run that stopped or failed before writing anything leaves no empty folder behind.
    if (!wroteSomething && prepared.created) await removeIfEmpty(prepared.created);
  }
}
