import type { ResultsFile, TrialResult } from '../results/results-file';
import { withSummaries } from '../results/summarize';
import { trialFromUnits } from './assemble-trials';
import type { UnitRecord } from './unit-store';

/**
 * results.json as a view of the run: the header plus, per configuration, the trials whose units
 * are all finished (every model), the completed trials of older runs, and this session's failures;
 * a configuration's input standardization is its units' (computed once per configuration, the same in each).
 */
export function assembleResults(
  header: ResultsFile,
  models: readonly string[],
  units: ReadonlyMap<string, UnitRecord>,
  legacy: ReadonlyMap<string, TrialResult[]>,
  failures: ReadonlyMap<string, TrialResult[]>,
): ResultsFile {
  const trials = (header.config as { trials: number }).trials;
  const configurations = header.configurations.map((c) => {
    const byTrial = new Map<number, TrialResult>();
    for (const t of legacy.get(c.name) ?? []) byTrial.set(t.trial, t);
    for (const t of failures.get(c.name) ?? []) byTrial.set(t.trial, t);
    const unitTrials = new Set([...units.values()].filter((u) => u.configuration === c.name).map((u) => u.trial));
    for (const trial of unitTrials) {
      const done = trialFromUnits(units, c.name, trial, models);
      if (done) byTrial.set(trial, done);
    }
    const standardization = [...units.values()].find((u) => u.configuration === c.name && u.inputStandardization)?.inputStandardization;
    return {
      ...c,
      ...(standardization ? { inputStandardization: standardization } : {}),
      trials: [...byTrial.values()].sort((a, b) => a.trial - b.trial),
      summary: undefined,
    };
  });
  const complete = configurations.every((c) =>
    Array.from({ length: trials }, (_, t) => t).every((t) => c.trials.some((r) => r.trial === t && r.status === 'completed')),
  );
  return withSummaries({ ...header, complete, configurations });
}
