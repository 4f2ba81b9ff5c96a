import type { TrialResult } from '../../../core/results/results-file';

/** One log line on a finished trial of one normal class: its time, rotation accuracy per model and AUROC per row, best first. */
export function oneClassTrialSummary(trial: TrialResult): string {
  const rows = trial.methods
    .map((m) => ({ method: m.method, auroc: Object.values(m.perOod)[0]?.auroc ?? Number.NaN }))
    .sort((a, b) => b.auroc - a.auroc);
  const acc = Object.entries(trial.idAccuracy)
    .map(([m, a]) => `${m} ${(100 * a).toFixed(1)}%`)
    .join(', ');
  return `trial ${trial.trial} (seed ${trial.seed}) ${trial.wallTimeSec.toFixed(0)} s; rotation acc.: ${acc}; AUROC: ${rows.map((r) => `${r.method} ${(100 * r.auroc).toFixed(1)}`).join(', ')}`;
}
