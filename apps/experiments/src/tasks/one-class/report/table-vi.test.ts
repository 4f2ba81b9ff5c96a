import { describe, expect, it } from 'vitest';
import type { MetricSet, ResultsFile, TrialResult } from '../../../core/results/results-file';
import { tableVi } from './table-vi';

const metrics = (auroc: number, fpr95 = 0.5): MetricSet => ({ auroc, auprIn: 0.5, auprOut: 0.5, fpr95, detectionError: 0.25 });

function trial(t: number, values: Record<string, number>, status: TrialResult['status'] = 'completed'): TrialResult {
  return {
    trial: t,
    seed: t,
    status,
    wallTimeSec: 1,
    idAccuracy: {},
    methods: Object.entries(values).map(([method, auroc]) => ({
      method,
      model: 'RotNet',
      score: 'x',
      perOod: { 'other classes': metrics(auroc, 1 - auroc) },
    })),
  };
}

const results = {
  experiment: 'fixture',
  configurations: [
    {
      name: 'class-0',
      description: '',
      idDataset: '0: T-shirt/top',
      oodSets: ['other classes'],
      trials: [trial(0, { A: 0.9, B: 0.8 }), trial(1, { A: 0.7, B: 0.6 })],
    },
    {
      name: 'class-1',
      description: '',
      idDataset: '1: Trouser',
      oodSets: ['other classes'],
      trials: [trial(0, { A: 0.5, B: 0.6 }), trial(1, { A: 0.3, B: 0.2 }), trial(2, { A: 0.1, B: 0.1 }, 'failed')],
    },
  ],
} as unknown as ResultsFile;

describe('tableVi', () => {
  it('one row per method, a column per class (mean +- sample std over completed trials) and the mean over classes per trial', () => {
    const table = tableVi(results, 'auroc');
    expect(table.header).toEqual(['Method', '0: T-shirt/top', '1: Trouser', 'Mean']);
    // A: class 0 trials 0.9, 0.7 -> 80.0 +- 14.1; class 1 0.5, 0.3 -> 40.0 +- 14.1; per-trial means 0.7, 0.5 -> 60.0 +- 14.1.
    expect(table.rows[0]).toEqual(['A', '80.0 +- 14.1', '40.0 +- 14.1', '60.0 +- 14.1']);
    // B: 0.8, 0.6 -> 70.0; 0.6, 0.2 -> 40.0 +- 28.3; trial means 0.7, 0.4 -> 55.0 +- 21.2.
    expect(table.rows[1]).toEqual(['B', '70.0 +- 14.1', '40.0 +- 28.3', '55.0 +- 21.2']);
    expect(table.best).toEqual([
      [false, true, true, true],
      [false, false, true, false],
    ]);
    expect(table.title).toMatch(/AUROC ↑ per normal class, mean \+- std over 2 trial\(s\)/);
  });

  it('FPR95: lower is best', () => {
    const table = tableVi(results, 'fpr95');
    expect(table.rows[0]![3]).toBe('40.0 +- 14.1');
    expect(table.rows[1]![3]).toBe('45.0 +- 21.2');
    expect(table.best!.map((row) => row[3])).toEqual([true, false]);
  });
});
