import type { TrialResult } from '../../../core/results/results-file';
import { PER_IMAGE_SET } from '../score/pixel-protocol';

/** One log line on a finished trial: its time, mIoU per model and the per-image AUROC per row, best first. */
export function segmentationTrialSummary(trial: TrialResult): string {
  const rows = trial.methods
    .map((m) => ({ method: m.method, auroc: m.perOod[PER_IMAGE_SET]?.auroc ?? Number.NaN }))
    .sort((a, b) => b.auroc - a.auroc);
  const miou = Object.entries(trial.idAccuracy)
    .map(([m, a]) => `${m} ${(100 * a).toFixed(1)}`)
    .join(', ');
  return `trial ${trial.trial} (seed ${trial.seed}) ${trial.wallTimeSec.toFixed(0)} s; mIoU: ${miou}; per-image AUROC: ${rows.map((r) => `${r.method} ${(100 * r.auroc).toFixed(1)}`).join(', ')}`;
}
