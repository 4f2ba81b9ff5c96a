import type { TrialResult } from '../../../core/results/results-file';
import { PIXEL_SET } from '../score/segmentation-metrics';

/** One log line on a finished trial of a category: its time and the pixel AUROC per row, best first. */
export function patchSvddTrialSummary(trial: TrialResult): string {
  const rows = trial.methods
    .map((m) => ({ method: m.method, auroc: m.perOod[PIXEL_SET]?.auroc ?? Number.NaN }))
    .sort((a, b) => b.auroc - a.auroc);
  return `trial ${trial.trial} (seed ${trial.seed}) ${trial.wallTimeSec.toFixed(0)} s; pixel AUROC: ${rows.map((r) => `${r.method} ${(100 * r.auroc).toFixed(1)}`).join(', ')}`;
}
