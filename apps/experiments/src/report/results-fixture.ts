import type { ResultsFile, TrialResult } from '../results/results-file';

/** A small, hand-made results file for report tests (two trials, two methods, two OOD sets, plots). */
export function resultsFixture(): ResultsFile {
  const metrics = (auroc: number) => ({ auroc, auprIn: auroc - 0.01, auprOut: auroc - 0.02, fpr95: 1 - auroc, detectionError: (1 - auroc) / 2 });
  const trial = (t: number, shift: number): TrialResult => ({
    trial: t,
    seed: t,
    status: 'completed',
    wallTimeSec: 10,
    idAccuracy: { baseline: 0.9 + shift, HiO: 0.88 + shift },
    methods: [
      { method: 'MSP', model: 'baseline', score: 'maxSoftmaxScore', perOod: { A: metrics(0.8 + shift), B: metrics(0.9 + shift) } },
      { method: '+HiO', model: 'HiO', score: 'hyperbolicScore', perOod: { A: metrics(0.85 + shift), B: metrics(0.95 + shift) } },
    ],
    ...(t === 0
      ? {
          plots: {
            histograms: [{ method: 'MSP', edges: [0, 0.5, 1], counts: { ID: [8, 2], A: [3, 7], B: [1, 9] } }],
            roc: [{ method: 'MSP', oodSet: 'A', fpr: [0, 0.2, 1], tpr: [0, 0.7, 1] }],
            embeddings: [{ model: 'HiO', geometry: 'poincare' as const, radius: 10, points: [{ x: 1, y: 2, set: 'ID' }, { x: -3, y: 0.5, set: 'A' }] }],
          },
        }
      : {}),
  });
  return {
    schemaVersion: 1,
    experiment: 'fixture',
    command: 'curvad experiment ood --preset fixture',
    config: {},
    seeds: [0, 1, 2],
    backend: 'wasm',
    versions: { node: 'v20' },
    gitCommit: null,
    startedAt: '2026-11-29T00:00:00.000Z',
    updatedAt: '2026-11-29T00:10:00.000Z',
    wallTimeSec: 600,
    complete: false,
    configurations: [
      {
        name: 'main',
        description: 'fixture <configuration>',
        idDataset: 'fixture-id',
        oodSets: ['A', 'B'],
        trials: [trial(0, 0), trial(1, 0.02), { trial: 2, seed: 2, status: 'failed', error: 'boom', wallTimeSec: 0, idAccuracy: {}, methods: [] }],
      },
    ],
  };
}
