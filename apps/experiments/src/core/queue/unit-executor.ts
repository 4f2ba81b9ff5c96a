// How the trial runner hands its units to something that runs them elsewhere (a job queue)
// instead of running them one after the other in process.
import type { UnitRecord } from '../store/unit-store';

/** A (configuration, trial, unit) the run still needs, with the unit's position (part of its seed). */
export interface PendingUnit {
  configuration: string;
  trial: number;
  unit: string;
  unitIndex: number;
}

export interface ExecutorRun {
  task: string;
  /** The resolved config (JSON data). */
  config: Record<string, unknown>;
  outDir: string;
  saveScores: boolean;
  units: readonly PendingUnit[];
  /** Stop following (the units go on where they run). */
  signal?: AbortSignal;
  log?(message: string): void;
}

/** What the runner does with each outcome: record it, rebuild results.json, report progress. */
export interface ExecutorEvents {
  onUnitStart(unit: PendingUnit, where: string): void;
  onUnitDone(unit: UnitRecord): Promise<void>;
  onUnitFailed(unit: PendingUnit, message: string): Promise<void>;
}

export interface UnitExecutor {
  /** Runs (or follows) every unit until each is done or failed, or until `signal` aborts (then `interrupted`). */
  execute(run: ExecutorRun, events: ExecutorEvents): Promise<{ interrupted: boolean }>;
}
