import type { TrialResult } from '../results/results-file';
import { type UnitRecord, unitKey } from './unit-store';

/**
 * The trial result of (configuration, trial) from its units: completed when every model of
 * `models` has a finished unit (rows in model order), otherwise null (the trial is not done yet).
 */
export function trialFromUnits(
  units: ReadonlyMap<string, UnitRecord>,
  configuration: string,
  trial: number,
  models: readonly string[],
): TrialResult | null {
  const parts = models.map((model) => units.get(unitKey({ configuration, trial, model })));
  if (parts.some((p) => p === undefined)) return null;
  const done = parts as UnitRecord[];
  return {
    trial,
    seed: done[0]!.seed,
    status: 'completed',
    wallTimeSec: done.reduce((sum, u) => sum + u.wallTimeSec, 0),
    idAccuracy: Object.fromEntries(done.map((u) => [u.model, u.idAccuracy])),
    training: Object.fromEntries(done.map((u) => [u.model, u.training])),
    methods: done.flatMap((u) => u.methods.map(({ detector: _detector, ...row }) => row)),
    plots: {
      histograms: done.flatMap((u) => u.plots.histograms),
      roc: done.flatMap((u) => u.plots.roc),
      embeddings: done.flatMap((u) => u.plots.embeddings),
    },
  };
}

/** Trial numbers of `configuration` that have at least one finished unit. */
export function trialsWithUnits(units: ReadonlyMap<string, UnitRecord>, configuration: string): number[] {
  const trials = new Set<number>();
  for (const unit of units.values()) if (unit.configuration === configuration) trials.add(unit.trial);
  return [...trials].sort((a, b) => a - b);
}
