// The paper's Table VII layout: one row per method, FPR95, AUROC and AUPR of the StreetHazards
// per-image protocol (anomalous pixels positive), the same pooled over all pixels, and the mIoU of
// the model the row scores; each cell mean +- sample std over the completed trials (in %).
import { formatTableCell, mean, sampleStd } from '@curvad/metrics';
import { bestIndices } from '../../../core/report/best-methods';
import { type Table, toMarkdown } from '../../../core/report/tables';
import type { MetricSet, ResultsFile } from '../../../core/results/results-file';
import { PER_IMAGE_SET, POOLED_SET } from '../score/pixel-protocol';

interface Column {
  title: string;
  lowerIsBetter: boolean;
  /** The column's value in one trial's row; undefined when absent. */
  value(perOod: Record<string, MetricSet>, miou: number | undefined): number | undefined;
}

const metricColumn = (set: string, key: keyof MetricSet, title: string, lowerIsBetter = false): Column => ({
  title,
  lowerIsBetter,
  value: (perOod) => perOod[set]?.[key],
});

/** Table VII's columns: the per-image protocol first (the paper's numbers), then pooled pixels, then mIoU. */
export const TABLE_VII_COLUMNS: readonly Column[] = [
  metricColumn(PER_IMAGE_SET, 'fpr95', 'FPR95', true),
  metricColumn(PER_IMAGE_SET, 'auroc', 'AUROC'),
  metricColumn(PER_IMAGE_SET, 'auprOut', 'AUPR'),
  metricColumn(POOLED_SET, 'fpr95', 'Pooled FPR95', true),
  metricColumn(POOLED_SET, 'auroc', 'Pooled AUROC'),
  metricColumn(POOLED_SET, 'auprOut', 'Pooled AUPR'),
  { title: 'mIoU', lowerIsBetter: false, value: (_, miou) => miou },
];

/** Table VII of a segmentation run (its one configuration), rows in the order the methods first appear. */
export function tableVii(results: ResultsFile): Table {
  const configuration = results.configurations[0];
  const trials = (configuration?.trials ?? []).filter((t) => t.status === 'completed');
  const methods: string[] = [];
  for (const t of trials) for (const m of t.methods) if (!methods.includes(m.method)) methods.push(m.method);
  const cells = methods.map((method) =>
    TABLE_VII_COLUMNS.map((column) => {
      const values = trials.flatMap((t) => {
        const row = t.methods.find((m) => m.method === method);
        const v = row ? column.value(row.perOod, t.idAccuracy[row.model]) : undefined;
        return v === undefined ? [] : [v];
      });
      return values.length === 0 ? null : { mean: mean(values), std: values.length > 1 ? sampleStd(values) : null };
    }),
  );
  const best = TABLE_VII_COLUMNS.map(
    (column, j) =>
      new Set(
        bestIndices(
          cells.map((row) => row[j]?.mean ?? null),
          column.lowerIsBetter,
        ),
      ),
  );
  return {
    title: `Table VII layout: anomaly segmentation, mean +- std over ${trials.length} trial(s), in % (${results.experiment}); FPR95 with the anomalous pixels positive, AUPR of the anomalous pixels`,
    header: ['Method', ...TABLE_VII_COLUMNS.map((c) => c.title)],
    rows: methods.map((method, i) => [method, ...cells[i]!.map((c) => (c ? formatTableCell(c, { percent: true, digits: 1 }) : '-'))]),
    values: cells.map((row) => [null, ...row.map((c) => c?.mean ?? null)]),
    best: cells.map((_, i) => [false, ...best.map((set) => set.has(i))]),
    id: 'table-vii',
  };
}

export function tableViiMarkdown(results: ResultsFile): string {
  return toMarkdown(tableVii(results));
}
