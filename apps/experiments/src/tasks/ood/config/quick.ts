/**
 * `--quick`: one trial, a fraction of the data and one epoch, for a smoke run in minutes (the
 * numbers are not comparable to the full preset's).
 */
export const QUICK_LIMITS = { train: 3000, test: 1000, ood: 1000 };

const QUICK_SUFFIX = '-quick';
const QUICK_FITTED_DETECTORS_OFF = { mahalanobis: false, knn: false };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The config input shrunk to the --quick size (not changed in place): name + '-quick' (once), 1 trial,
 * 1 epoch, QUICK_LIMITS, noise sets capped at QUICK_LIMITS.ood images, Mahalanobis and KNN off. Works on unvalidated input
 * (a preset merged with a config file): parts of an unexpected shape are left to the schema.
 */
export function quickConfig(input: Record<string, unknown>): Record<string, unknown> {
  const quick: Record<string, unknown> = { ...structuredClone(input), trials: 1, epochs: 1, limits: { ...QUICK_LIMITS } };
  // The detectors fitted on the training features take a forward pass over it per model, too slow for a
  // one-minute smoke run (scripts/main-job.sh); MaxLogit and energy cost nothing and stay. --set turns them on.
  if (isRecord(quick.detectors)) quick.detectors = { ...quick.detectors, ...QUICK_FITTED_DETECTORS_OFF };
  // A printed quick config run with --quick again keeps one suffix.
  if (typeof input.name === 'string' && !input.name.endsWith(QUICK_SUFFIX)) quick.name = `${input.name}${QUICK_SUFFIX}`;
  if (Array.isArray(quick.configurations)) {
    quick.configurations = quick.configurations.map((c: unknown) => {
      if (!isRecord(c) || !Array.isArray(c.ood)) return c;
      const ood = c.ood.map((o: unknown) =>
        isRecord(o) && o.kind === 'noise' && typeof o.count === 'number' ? { ...o, count: Math.min(o.count, QUICK_LIMITS.ood) } : o,
      );
      return { ...c, ood };
    });
  }
  return quick;
}
