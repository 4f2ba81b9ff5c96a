// The trial runner's queued path: the pending units go to an executor (a job queue) at once, and
// each outcome is recorded as the local loop records it: a finished unit rebuilds results.json, a
// failed unit marks its trial failed with the error (the trial's other units still run and are
// kept, so --resume reruns only the failed unit).
import type { ResultsFile, TrialResult } from '../results/results-file';
import type { RunOptions } from '../run-experiment';
import { trialSeed } from '../seeds';
import { type UnitRecord, unitKey } from '../store/unit-store';
import type { LoadedData, RunConfig, Task } from '../task';
import type { PendingUnit, UnitExecutor } from './unit-executor';
import { describeUnit } from './unit-job';

/** The runner's state the outcomes go into. */
export interface RunRecord {
  units: Map<string, UnitRecord>;
  /** This session's failed trials, per configuration. */
  failures: Map<string, TrialResult[]>;
  /** Rebuilds and writes results.json (and units/run.json) from the units and failures. */
  save(): Promise<void>;
  /** The results as last saved. */
  results(): ResultsFile;
}

/** Runs `queued` through `executor`; returns true when following was interrupted (the units go on where they run). */
export async function runWithExecutor<Config extends RunConfig, Data extends LoadedData>(
  executor: UnitExecutor,
  task: Task<Config, Data>,
  options: RunOptions<Config>,
  queued: readonly PendingUnit[],
  record: RunRecord,
): Promise<boolean> {
  const { config, reporter } = options;
  const count = task.units(config).length;
  const { interrupted } = await executor.execute(
    {
      task: task.name,
      config: config as unknown as Record<string, unknown>,
      outDir: options.outDir,
      saveScores: options.saveScores !== false,
      units: queued,
      ...(options.signal ? { signal: options.signal } : {}),
      log: (message) => reporter?.log?.(message),
    },
    {
      onUnitStart(unit, where) {
        reporter?.onModelStart?.(unit.unit, unit.unitIndex, count);
        reporter?.log?.(`  ${describeUnit(unit)}: running on ${where}`);
      },
      async onUnitDone(unit) {
        record.units.set(unitKey(unit), unit);
        await record.save();
        reporter?.onUnitEnd?.({ configuration: unit.configuration, trial: unit.trial, model: unit.model, seconds: unit.wallTimeSec });
        const trial = record
          .results()
          .configurations.find((c) => c.name === unit.configuration)
          ?.trials.find((t) => t.trial === unit.trial);
        if (trial?.status !== 'completed') return;
        reporter?.onTrialEnd?.(unit.configuration, trial);
        reporter?.log?.(`${unit.configuration}: ${task.trialSummary(trial)}`);
      },
      async onUnitFailed(unit, message) {
        const trials = record.failures.get(unit.configuration) ?? [];
        // As a local failure: the unit's own message (a task's errors name their unit).
        const error = message;
        const failed = trials.find((t) => t.trial === unit.trial);
        if (failed) failed.error = `${failed.error}; ${error}`;
        else {
          trials.push({
            trial: unit.trial,
            seed: trialSeed(config.seed, unit.trial),
            status: 'failed',
            error,
            wallTimeSec: 0,
            idAccuracy: {},
            methods: [],
          });
        }
        record.failures.set(unit.configuration, trials);
        reporter?.log?.(`trial ${unit.trial} of ${unit.configuration} failed: ${error}`);
        await record.save();
      },
    },
  );
  return interrupted;
}
