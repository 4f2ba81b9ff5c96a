import type { TrialResult } from '../../../core/results/results-file';

/** One log line on a finished OOD trial: its time, ID accuracy per model and mean AUROC per method, best first. */
export function oodTrialSummary(trial: TrialResult): string {
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
