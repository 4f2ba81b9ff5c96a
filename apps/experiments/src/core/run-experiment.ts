// The trial runner: the loop over configurations x trials x units of any task, with interruption,
// failures, a run plan for the ETA, resume, and results.json rebuilt from the units after each unit.
import { join } from 'node:path';
import { ExperimentError, InterruptedError } from '../experiment-error';
import { dataFilesOf, gitCommit, runtimeVersions } from './provenance';
import { runWithExecutor } from './queue/run-with-executor';
import type { PendingUnit, UnitExecutor } from './queue/unit-executor';
import { writeReport } from './report/write-report';
import { RESULTS_SCHEMA_VERSION, type ResultsFile, type TrialResult } from './results/results-file';
import { trialSeed } from './seeds';
import { assembleResults } from './store/assemble-results';
import { holdsRun, openExistingRun, RESULTS_FILE } from './store/open-run';
import { prepareOutDir, removeIfEmpty } from './store/out-dir';
import { removeStaleTempFiles } from './store/stale-temp-files';
import { type UnitRecord, unitKey, writeRunHeader } from './store/unit-store';
import { writeFileAtomic } from './store/write-file-atomic';
import type { LoadedData, RunConfig, Task, TrainProgress } from './task';

/** The whole run's work, sent once before any training (for a whole-run ETA). */
export interface RunPlan {
  /** All (configuration, trial, unit) units of the run. */
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
  onModelStart?(model: string, index: number, count: number): void;
  onUnitEnd?(unit: UnitEnd): void;
  onTrialEnd?(configuration: string, trial: TrialResult): void;
}

export interface RunOptions<Config> {
  config: Config;
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
   * Continue the run in outDir: finished (configuration, trial, unit) units are kept, the rest
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
  /**
   * Hand the units to this executor (a job queue: `createQueueExecutor`) instead of running them
   * here. The data are still loaded here, once per configuration, for the run's provenance and plan.
   */
  executor?: UnitExecutor;
}

export interface RunResult {
  results: ResultsFile;
  interrupted: boolean;
  /**
   * The results.json written (from the moment the first configuration's data is loaded; it may hold
   * no finished trial yet), or null when the run stopped before that and left nothing in outDir.
   */
  resultsFile: string | null;
  /** The report's files; empty while no trial has finished or failed. */
  reportFiles: string[];
  /** The report's tables.md text (what the CLI prints); '' when no report was written. */
  markdown: string;
  /** Units finished over the whole run (this session and earlier ones). */
  unitsDone: number;
}

function freshHeader<Config extends RunConfig>(task: Task<Config, LoadedData>, options: RunOptions<Config>): ResultsFile {
  const { config } = options;
  const now = new Date().toISOString();
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    experiment: config.name,
    ...(options.preset ? { preset: options.preset } : {}),
    ...(options.quick !== undefined ? { quick: options.quick } : {}),
    command: options.command,
    config,
    seeds: Array.from({ length: config.trials }, (_, i) => trialSeed(config.seed, i)),
    backend: options.backend,
    ...(options.backendDetail ? { backendDetail: options.backendDetail } : {}),
    dataFiles: [],
    versions: runtimeVersions(options.versions),
    gitCommit: gitCommit(),
    startedAt: now,
    updatedAt: now,
    wallTimeSec: 0,
    complete: false,
    configurations: task.configurations(config).map((c) => ({ ...c, trials: [] })),
  };
}

/**
 * Runs an experiment of `task`: for each configuration, trial and unit, the task trains, scores
 * and persists the unit at once (weights, scores, unit.json). results.json is rebuilt from the
 * units after every unit, so an interruption loses at most the unit in progress; a unit that
 * throws marks its trial failed and the run goes on with the next trial.
 *
 * Before reading any data, the out folder is checked (created, a probe file written): a path that
 * is a file, read-only or not permitted fails at once with an ExperimentError. A run that fails
 * before writing anything removes the folder it created. Temporary files of killed runs are removed.
 */
export async function runExperiment<Config extends RunConfig, Data extends LoadedData>(
  task: Task<Config, Data>,
  options: RunOptions<Config>,
): Promise<RunResult> {
  const { config, reporter, signal } = options;
  const unitNames = task.units(config);
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
    const existing = options.resume ? await openExistingRun(outDir, config, task.withConfigDefaults) : null;
    wroteSomething = existing !== null;
    if (existing?.rebuilt)
      reporter?.log?.(
        `${join(outDir, RESULTS_FILE)} is missing or unreadable: rebuilding it from the ${existing.units.size} finished unit(s) in ${join(outDir, 'units')}`,
      );
    else if (existing) reporter?.log?.(`resuming ${outDir}: ${existing.units.size} finished unit(s)`);
    const header = existing ? existing.header : freshHeader(task, options);
    const recordedTrials = Math.max(config.trials, (header.config as RunConfig).trials);
    header.config = { ...config, trials: recordedTrials };
    header.seeds = Array.from({ length: recordedTrials }, (_, i) => trialSeed(config.seed, i));
    const units = existing?.units ?? new Map<string, UnitRecord>();
    const legacy = existing?.legacyTrials ?? new Map<string, TrialResult[]>();
    const failures = new Map<string, TrialResult[]>();
    const previousWall = header.wallTimeSec;
    const started = performance.now();
    let results = assembleResults(header, unitNames, units, legacy, failures);

    const save = async (): Promise<void> => {
      header.updatedAt = new Date().toISOString();
      header.wallTimeSec = previousWall + (performance.now() - started) / 1000;
      await writeRunHeader(outDir, header);
      wroteSomething = true;
      results = assembleResults(header, unitNames, units, legacy, failures);
      await writeFileAtomic(join(outDir, RESULTS_FILE), JSON.stringify(results, null, 1));
    };
    if (existing?.rebuilt) await save();

    const isDone = (configuration: string, trial: number, unit: string) =>
      units.has(unitKey({ configuration, trial, model: unit })) || (legacy.get(configuration) ?? []).some((t) => t.trial === trial);
    const configurations = task.configurations(config).map((c) => c.name);
    const allUnits = configurations.flatMap((configuration) =>
      Array.from({ length: config.trials }, (_, trial) => unitNames.map((unit) => ({ configuration, trial, unit }))).flat(),
    );
    const plan = { units: allUnits.length, unitsDone: allUnits.filter((u) => isDone(u.configuration, u.trial, u.unit)).length };
    let planSent = false;
    const sendPlan = (stepsPerUnit: number) => {
      if (!planSent) reporter?.onRunPlan?.({ ...plan, stepsPerUnit });
      planSent = true;
    };

    let interrupted = false;
    const queued: PendingUnit[] = [];
    outer: for (const configuration of configurations) {
      const pending = Array.from({ length: config.trials }, (_, t) => t).filter((t) => unitNames.some((u) => !isDone(configuration, t, u)));
      if (pending.length === 0) continue;
      if (signal?.aborted) {
        interrupted = true;
        break;
      }
      reporter?.log?.(`${configuration}: loading data`);
      const data = await task.loadData(config, configuration);
      reporter?.log?.(`${configuration}: ${data.description}`);
      header.dataFiles = [
        ...(header.dataFiles ?? []).filter((f) => f.configuration !== configuration),
        ...dataFilesOf(configuration, data.files),
      ];
      await save();
      sendPlan(data.stepsPerUnit);
      if (options.executor) {
        for (const trial of pending)
          for (const [unitIndex, unit] of unitNames.entries())
            if (!isDone(configuration, trial, unit)) queued.push({ configuration, trial, unit, unitIndex });
        continue;
      }
      for (const trial of pending) {
        if (signal?.aborted) {
          interrupted = true;
          break outer;
        }
        reporter?.onTrialStart?.(configuration, trial, config.trials, trialSeed(config.seed, trial));
        failures.set(
          configuration,
          (failures.get(configuration) ?? []).filter((t) => t.trial !== trial),
        );
        try {
          for (const [unitIndex, unitName] of unitNames.entries()) {
            if (isDone(configuration, trial, unitName)) continue;
            if (signal?.aborted) throw new InterruptedError('interrupted between models');
            reporter?.onModelStart?.(unitName, unitIndex, unitNames.length);
            const unitStarted = performance.now();
            const unit = await task.runUnit({
              config,
              outDir,
              configuration,
              data,
              trial,
              unit: unitName,
              unitIndex,
              saveScores: options.saveScores !== false,
              ...(reporter ? { progress: reporter } : {}),
              ...(signal ? { signal } : {}),
            });
            units.set(unitKey(unit), unit);
            await save();
            reporter?.onUnitEnd?.({ configuration, trial, model: unitName, seconds: (performance.now() - unitStarted) / 1000 });
          }
        } catch (error) {
          if (error instanceof InterruptedError) {
            interrupted = true;
            break outer;
          }
          const message = error instanceof Error ? error.message : String(error);
          failures.get(configuration)!.push({
            trial,
            seed: trialSeed(config.seed, trial),
            status: 'failed',
            error: message,
            wallTimeSec: 0,
            idAccuracy: {},
            methods: [],
          });
          reporter?.log?.(`trial ${trial} of ${configuration} failed: ${message}`);
          await save();
          continue;
        }
        const result = results.configurations.find((c) => c.name === configuration)!.trials.find((t) => t.trial === trial)!;
        reporter?.onTrialEnd?.(configuration, result);
        reporter?.log?.(`${configuration}: ${task.trialSummary(result)}`);
      }
    }
    if (options.executor && !interrupted && queued.length > 0) {
      const record = { units, failures, save, results: () => results };
      interrupted = await runWithExecutor(options.executor, task, { ...options, outDir }, queued, record);
    }
    if (!planSent) sendPlan(0);
    if (wroteSomething) await save();
    const hasTrials = results.configurations.some((c) => c.trials.length > 0);
    const report =
      hasTrials && options.report !== false
        ? await writeReport(outDir, results, task.configFacts, { taskSections: task.reportSections })
        : null;
    return {
      results,
      interrupted,
      resultsFile: wroteSomething ? join(outDir, RESULTS_FILE) : null,
      reportFiles: report?.files ?? [],
      markdown: report?.markdown ?? '',
      unitsDone: units.size,
    };
  } finally {
    // A run that stopped or failed before writing anything leaves no empty folder behind.
    if (!wroteSomething && prepared.created) await removeIfEmpty(prepared.created);
  }
}
