import { describe, expect, it } from 'vitest';
import type { MetricSet, ResultsFile, TrialResult } from '../../../core/results/results-file';
import { parseSegmentationConfig, SEGMENTATION_CONFIGURATION } from '../config/segmentation-config';
import { PER_IMAGE_SET, POOLED_SET } from '../score/pixel-protocol';
import { TINY_SEGMENTATION } from '../test-support';
import { TABLE_VII_COLUMNS, tableVii, tableViiMarkdown } from './table-vii';

/** A metric set from its three Table VII numbers (the others distinct so a mix-up shows). */
function set(fpr95: number, auroc: number, auprOut: number): MetricSet {
  return { fpr95, auroc, auprOut, auprIn: 0.99, detectionError: 0.01 };
}

type Row = [method: string, model: string, perImage: MetricSet, pooled: MetricSet];

function trial(t: number, miou: Record<string, number>, rows: Row[], status: TrialResult['status'] = 'completed'): TrialResult {
  return {
    trial: t,
    seed: t,
    status,
    wallTimeSec: 1,
    idAccuracy: miou,
    methods: rows.map(([method, model, perImage, pooled]) => ({
      method,
      model,
      score: 'fixture',
      perOod: { [PER_IMAGE_SET]: perImage, [POOLED_SET]: pooled },
    })),
  };
}

function results(trials: TrialResult[]): ResultsFile {
  return {
    schemaVersion: 1,
    experiment: 'tiny-segmentation',
    command: 'test',
    config: parseSegmentationConfig(TINY_SEGMENTATION),
    seeds: trials.map((t) => t.seed),
    backend: 'cpu',
    versions: {},
    gitCommit: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    wallTimeSec: 1,
    complete: true,
    configurations: [
      {
        name: SEGMENTATION_CONFIGURATION,
        description: 'fixture',
        idDataset: 'fmnist-scenes',
        oodSets: [PER_IMAGE_SET, POOLED_SET],
        trials,
      },
    ],
  };
}

// Three completed trials and a failed one (its extreme numbers must not count). HiT only in trial 1.
const RUN = results([
  trial(0, { baseline: 0.5, MiT: 0.4 }, [
    ['MSP', 'baseline', set(0.3, 0.8, 0.1), set(0.5, 0.7, 0.05)],
    ['MiT', 'MiT', set(0.2, 0.9, 0.3), set(0.4, 0.85, 0.2)],
  ]),
  trial(1, { baseline: 0.6, MiT: 0.4, HiT: 0.45 }, [
    ['MSP', 'baseline', set(0.4, 0.82, 0.1), set(0.5, 0.7, 0.05)],
    ['HiT', 'HiT', set(0.6, 0.75, 0.2), set(0.7, 0.7, 0.1)],
    ['MiT', 'MiT', set(0.2, 0.9, 0.3), set(0.4, 0.85, 0.2)],
  ]),
  trial(2, { baseline: 0.7, MiT: 0.4 }, [
    ['MSP', 'baseline', set(0.2, 0.87, 0.1), set(0.5, 0.7, 0.05)],
    ['MiT', 'MiT', set(0.2, 0.93, 0.3), set(0.4, 0.85, 0.2)],
  ]),
  trial(3, { baseline: 0 }, [['MSP', 'baseline', set(1, 0, 0), set(1, 0, 0)]], 'failed'),
]);

describe('tableVii', () => {
  it('each cell is the mean +- sample std over the completed trials, in %, hand-computed', () => {
    const table = tableVii(RUN);
    expect(table.header).toEqual(['Method', ...TABLE_VII_COLUMNS.map((c) => c.title)]);
    expect(table.header).toEqual(['Method', 'FPR95', 'AUROC', 'AUPR', 'Pooled FPR95', 'Pooled AUROC', 'Pooled AUPR', 'mIoU']);
    expect(table.title).toContain('mean +- std over 3 trial(s)');
    // MSP: FPR95 0.3, 0.4, 0.2 -> mean 0.3, std sqrt((0 + 0.01 + 0.01) / 2) = 0.1; AUROC 0.8, 0.82, 0.87 ->
    // mean 0.83, std sqrt((0.0009 + 0.0001 + 0.0016) / 2) = 0.03606; mIoU of the baseline 0.5, 0.6, 0.7.
    // MiT: AUROC 0.9, 0.9, 0.93 -> 0.91 +- sqrt(0.0006 / 2) = 0.01732. HiT: one trial, no std.
    expect(table.rows).toEqual([
      ['MSP', '30.0 +- 10.0', '83.0 +- 3.6', '10.0 +- 0.0', '50.0 +- 0.0', '70.0 +- 0.0', '5.0 +- 0.0', '60.0 +- 10.0'],
      ['MiT', '20.0 +- 0.0', '91.0 +- 1.7', '30.0 +- 0.0', '40.0 +- 0.0', '85.0 +- 0.0', '20.0 +- 0.0', '40.0 +- 0.0'],
      ['HiT', '60.0', '75.0', '20.0', '70.0', '70.0', '10.0', '45.0'],
    ]);
    expect(table.values?.[0]?.[2]).toBeCloseTo(0.83, 12);
    // Best per column: lowest FPR95s, highest AUROC / AUPR / mIoU.
    expect(table.best).toEqual([
      [false, false, false, false, false, false, false, true],
      [false, true, true, true, true, true, true, false],
      [false, false, false, false, false, false, false, false],
    ]);
  });

  it('the markdown is the table: its title and one line per row', () => {
    const markdown = tableViiMarkdown(RUN);
    expect(markdown.split('\n')).toContain(
      '| MSP | 30.0 +- 10.0 | 83.0 +- 3.6 | 10.0 +- 0.0 | 50.0 +- 0.0 | 70.0 +- 0.0 | 5.0 +- 0.0 | 60.0 +- 10.0 |',
    );
    expect(markdown.startsWith('**Table VII layout')).toBe(true);
  });
});
