// What a task (tasks/<name>/) gives the core: its data, its unit of work and how to read its config.
// The core runs the loop over configurations x trials x units, persists units and results, and
// builds the report; the task trains and scores. See README "Adding a task".
import type { DataFileRecord } from '@curvad/datasets';
import type { ConfigFacts } from './report/run-facts';
import type { TaskReportSections } from './report/task-sections';
import type { ResultsFile, TrialResult } from './results/results-file';
import type { UnitRecord } from './store/unit-store';

/** The fields of a task config the core reads. */
export interface RunConfig {
  /** The experiment's name (results.json `experiment`). */
  name: string;
  /** The experiment seed; trial i uses trialSeed(seed, i). */
  seed: number;
  trials: number;
}

/** Progress inside a unit's training, as the CLI's progress bars show it. */
export interface TrainProgress {
  onEpochStart?(epoch: number, epochs: number, steps: number): void;
  onStep?(step: number, steps: number, loss: number): void;
  onEpochEnd?(epoch: number, meanLoss: number): void;
}

/** A configuration's data as the core needs to know it (the task keeps the rest in its own type). */
export interface LoadedData {
  /** The files each part was read from, with sizes and SHA-256 (provenance in results.json). */
  files: Record<string, readonly DataFileRecord[]>;
  /** One line for the log: what was loaded. */
  description: string;
  /** Training steps of one unit (epochs x steps per epoch), for the run's ETA. */
  stepsPerUnit: number;
}

/** One unit of work: (configuration, trial, unit name), e.g. one model of one trial. */
export interface UnitContext<Config, Data> {
  config: Config;
  outDir: string;
  configuration: string;
  data: Data;
  trial: number;
  /** The unit's name (a model name) and its position in task.units(config) (part of its seed). */
  unit: string;
  unitIndex: number;
  /** Write raw score files (artifacts) besides unit.json. */
  saveScores: boolean;
  progress?: TrainProgress;
  signal?: AbortSignal;
}

export interface Task<Config extends RunConfig, Data extends LoadedData> {
  /** The task's name ('ood'), as `curvad experiment <name>` takes it. */
  name: string;
  /** The header entries of the run's configurations (results.json `configurations`, no trials yet). */
  configurations(config: Config): Omit<ResultsFile['configurations'][number], 'trials' | 'summary'>[];
  /** The units of one trial, in order: a unit's index in this list is part of its seed. */
  units(config: Config): readonly string[];
  loadData(config: Config, configuration: string): Promise<Data>;
  /** Trains and scores one unit and persists it (artifacts first, unit.json last); throws InterruptedError on abort. */
  runUnit(context: UnitContext<Config, Data>): Promise<UnitRecord>;
  /** A recorded config with the defaults of fields added since filled in, so resuming compares like with like. */
  withConfigDefaults(recorded: unknown): unknown;
  /** The task's reading of a recorded config for the report; null when it is not this task's. */
  configFacts: ConfigFacts;
  /** One line on a finished trial for the log. */
  trialSummary(trial: TrialResult): string;
  /** The task's own sections of report.html (e.g. the one-class Table VI), before the per-configuration ones. */
  reportSections?: TaskReportSections;
}
