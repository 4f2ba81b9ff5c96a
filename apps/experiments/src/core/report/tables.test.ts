import { describe, expect, test } from 'vitest';
import { AVERAGE_OOD, summarizeConfiguration } from '../results/summarize';
import { resultsFixture } from './results-fixture';
import { configurationTables, toCsv, toMarkdown } from './tables';

describe('summaries and tables', () => {
  const config = resultsFixture().configurations[0]!;

  test('mean and sample std over completed trials, averaged over OOD sets within each trial', () => {
    const rows = summarizeConfiguration(config);
    expect(rows).toHaveLength(13);
    expect(rows.slice(0, 3).map((r) => r.method)).toEqual(['MSP', '+HiO', 'ODIN']);
    const msp = rows[0]!;
    // Trial 0: (0.80 + 0.90)/2 = 0.85; trial 1: (0.82 + 0.92)/2 = 0.87; the failed trial is left out.
    const [t0, t1] = msp.perOod[AVERAGE_OOD]!.auroc.values;
    expect(t0).toBeCloseTo((0.8 + 0.9) / 2, 12);
    expect(t1).toBeCloseTo((0.82 + 0.92) / 2, 12);
    expect(msp.perOod[AVERAGE_OOD]!.auroc.mean).toBeCloseTo(0.86, 12);
    expect(msp.perOod[AVERAGE_OOD]!.auroc.std).toBeCloseTo(Math.SQRT2 * 0.01, 12);
    expect(msp.idAccuracy!.mean).toBeCloseTo(0.91, 12);
    expect(msp.perOod.A!.fpr95.mean).toBeCloseTo(1 - 0.81, 12);
  });

  test('markdown in the paper layout: one row per method, percentages with std', () => {
    const tables = configurationTables(config);
    expect(tables.map((t) => t.title.split(':')[0])).toEqual(['main', 'main', 'main']);
    const md = toMarkdown(tables[0]!);
    expect(md).toContain('| Method | ID acc. ↑ | FPR (95% TPR) ↓ | Detection error ↓ | AUROC ↑ | AUPR-In ↑ | AUPR-Out ↑ |');
    expect(md).toContain('| MSP | 91.0 +- 1.4 | 14.0 +- 1.4 | 7.0 +- 0.7 | 86.0 +- 1.4 | 85.0 +- 1.4 | 84.0 +- 1.4 |');
    expect(md).toContain('over 2 trial(s)');
  });

  test('CSV holds raw fractions for every configuration x set x method x metric', () => {
    const csv = toCsv([config]).trim().split('\n');
    expect(csv[0]).toBe('configuration,ood_set,method,model,metric,mean,std,trials');
    // 3 sets (average, A, B) x 13 methods x 6 metrics (ID accuracy + 5).
    expect(csv.length).toBe(1 + 3 * 13 * 6);
    expect(csv).toContain('main,A,+HiO,HiO,auroc,0.86,0.014142135623730963,2');
  });

  test('best cells per column follow each metric direction; ties are all marked; sort values are the means', () => {
    const table = configurationTables(config)[0]!;
    const column = (title: string) => table.header.indexOf(title);
    const bestRows = (title: string) => table.rows.filter((_, i) => table.best![i]![column(title)]).map((r) => r[0]);
    expect(bestRows('AUROC ↑')).toEqual(['+HiO']);
    // FPR and detection error: lower is better, so +HiO (not the method with the largest FPR, ODIN).
    expect(bestRows('FPR (95% TPR) ↓')).toEqual(['+HiO']);
    expect(bestRows('Detection error ↓')).toEqual(['+HiO']);
    // MSP and ODIN score the same baseline model: both hold the best ID accuracy.
    expect(bestRows('ID acc. ↑')).toEqual(['MSP', 'ODIN']);
    expect(table.best!.every((row) => row[0] === false)).toBe(true);
    expect(table.values![0]![column('AUROC ↑')]).toBeCloseTo(0.86, 12);
    expect(table.values![0]![0]).toBeNull();
  });
});
