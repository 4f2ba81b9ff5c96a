// The paper's Tables VIII (dagger scoring) and IX (Patch-SVDD scoring) layout: one row per category
// and a Mean row, one column per model (baseline, SiO, HiO, MiO, SiT, HiT, MiT as run); each cell the
// mean +- sample std over the completed trials (in %). One table per metric: pixel AUROC (the paper's),
// image AUROC, AUPRO to FPR 0.3.
import { formatTableCell, mean, sampleStd } from '@curvad/metrics';
import { bestIndices } from '../../../core/report/best-methods';
import { type Table, toMarkdown } from '../../../core/report/tables';
import type { ResultsFile } from '../../../core/results/results-file';
import { PATCH_SVDD_MODEL_NAMES, type PatchSvddScoring } from '../config/patch-svdd-config';
import { rowMethod } from '../run-unit';
import { IMAGE_SET, PIXEL_SET } from '../score/segmentation-metrics';

export interface TableMetric {
  title: string;
  set: string;
  key: 'auroc' | 'aupro';
}

export const PATCH_SVDD_TABLE_METRICS: readonly TableMetric[] = [
  { title: 'pixel AUROC', set: PIXEL_SET, key: 'auroc' },
  { title: 'image AUROC (max of the map)', set: IMAGE_SET, key: 'auroc' },
  { title: 'AUPRO (FPR <= 0.3)', set: PIXEL_SET, key: 'aupro' },
];

type Cell = { mean: number; std: number | null } | null;

function cell(values: number[]): Cell {
  return values.length === 0 ? null : { mean: mean(values), std: values.length > 1 ? sampleStd(values) : null };
}

/** One table: rows = categories + Mean, columns = the models run, for `scoring` and `metric`. */
export function patchSvddTable(results: ResultsFile, scoring: PatchSvddScoring, metric: TableMetric): Table {
  const configurations = results.configurations;
  const models = PATCH_SVDD_MODEL_NAMES.filter((m) =>
    configurations.some((c) => c.trials.some((t) => t.methods.some((r) => r.method === rowMethod(m, scoring)))),
  );
  const valuesOf = (configuration: (typeof configurations)[number], model: string): number[] =>
    configuration.trials
      .filter((t) => t.status === 'completed')
      .flatMap((t) => {
        const v = t.methods.find((r) => r.method === rowMethod(model, scoring))?.perOod[metric.set]?.[metric.key];
        return v === undefined ? [] : [v];
      });
  const rows: Cell[][] = configurations.map((c) => models.map((m) => cell(valuesOf(c, m))));
  // The Mean row: per trial the mean over categories, then mean +- std of those over the trials.
  const trials = Math.max(0, ...configurations.map((c) => c.trials.length));
  const meanRow = models.map((m) => {
    const perTrial: number[] = [];
    for (let t = 0; t < trials; t++) {
      const vs = configurations.flatMap((c) => {
        const trial = c.trials.find((x) => x.trial === t && x.status === 'completed');
        const v = trial?.methods.find((r) => r.method === rowMethod(m, scoring))?.perOod[metric.set]?.[metric.key];
        return v === undefined ? [] : [v];
      });
      if (vs.length === configurations.length) perTrial.push(mean(vs));
    }
    return cell(perTrial);
  });
  const all = [...rows, meanRow];
  const best = all.map(
    (row) =>
      new Set(
        bestIndices(
          row.map((c) => c?.mean ?? null),
          false,
        ),
      ),
  );
  const name =
    scoring === 'dagger'
      ? 'Table VIII layout (dagger scoring: no training data)'
      : 'Table IX layout (Patch-SVDD scoring: nearest training patch)';
  return {
    title: `${name}: ${metric.title}, mean +- std over trials, in % (${results.experiment})`,
    header: ['Category', ...models],
    rows: all.map((row, i) => [
      i < configurations.length ? configurations[i]!.name : 'Mean',
      ...row.map((c) => (c ? formatTableCell(c, { percent: true, digits: 1 }) : '-')),
    ]),
    values: all.map((row) => [null, ...row.map((c) => c?.mean ?? null)]),
    best: all.map((row, i) => [false, ...row.map((_, j) => best[i]!.has(j))]),
    id: `${scoring === 'dagger' ? 'table-viii' : 'table-ix'}-${metric.key}-${metric.set}`,
  };
}

/** A scoring's tables (one per metric) as markdown. */
export function patchSvddTablesMarkdown(results: ResultsFile, scoring: PatchSvddScoring): string {
  return PATCH_SVDD_TABLE_METRICS.map((metric) => toMarkdown(patchSvddTable(results, scoring, metric))).join('\n');
}
