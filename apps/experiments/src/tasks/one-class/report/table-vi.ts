// The paper's Table VI layout: one row per method, one column per normal class and the mean over
// the classes, each cell mean +- sample std over the trials (in %). Built from results.json alone.
import { formatTableCell, mean, sampleStd } from '@curvad/metrics';
import { bestIndices, LOWER_IS_BETTER } from '../../../core/report/best-methods';
import { type Table, toMarkdown } from '../../../core/report/tables';
import type { ResultsFile } from '../../../core/results/results-file';
import { METRIC_TITLES, type MetricKey } from '../../../core/results/summarize';

/** The metrics a one-class run's Table VI is printed for (AUROC first, as in the paper). */
export const TABLE_VI_METRICS: readonly MetricKey[] = ['auroc', 'auprIn', 'auprOut', 'fpr95'];

interface Cell {
  mean: number;
  std: number | null;
}

function cellOf(values: number[]): Cell | null {
  if (values.length === 0) return null;
  return { mean: mean(values), std: values.length > 1 ? sampleStd(values) : null };
}

/** The metric of `method` per completed trial of a configuration, by trial number. */
function trialValues(configuration: ResultsFile['configurations'][number], method: string, metric: MetricKey): Map<number, number> {
  const out = new Map<number, number>();
  for (const trial of configuration.trials) {
    if (trial.status !== 'completed') continue;
    const row = trial.methods.find((m) => m.method === method);
    const metrics = row && Object.values(row.perOod)[0];
    if (metrics) out.set(trial.trial, metrics[metric]);
  }
  return out;
}

/**
 * Table VI of a one-class run for `metric`: rows in the order the methods first appear, one column
 * per configuration (its `idDataset`, the normal class) and 'Mean': per trial the mean over every
 * class that finished that trial, then mean +- sample std over those trials.
 */
export function tableVi(results: ResultsFile, metric: MetricKey = 'auroc'): Table {
  const configurations = results.configurations;
  const methods: string[] = [];
  for (const c of configurations)
    for (const t of c.trials) for (const m of t.methods) if (!methods.includes(m.method)) methods.push(m.method);
  const cells = methods.map((method) => {
    const perClass = configurations.map((c) => trialValues(c, method, metric));
    const trials = new Set(perClass.flatMap((values) => [...values.keys()]));
    const means = [...trials]
      .filter((t) => perClass.every((values) => values.has(t)))
      .map((t) => perClass.reduce((sum, values) => sum + values.get(t)!, 0) / perClass.length);
    return [...perClass.map((values) => cellOf([...values.values()])), cellOf(means)];
  });
  const columns = configurations.length + 1;
  const lower = LOWER_IS_BETTER.has(metric);
  const best = Array.from(
    { length: columns },
    (_, j) =>
      new Set(
        bestIndices(
          cells.map((row) => row[j]?.mean ?? null),
          lower,
        ),
      ),
  );
  const trials = Math.max(0, ...configurations.map((c) => c.trials.filter((t) => t.status === 'completed').length));
  return {
    title: `Table VI layout: ${METRIC_TITLES[metric]} per normal class, mean +- std over ${trials} trial(s), in % (${results.experiment})`,
    header: ['Method', ...configurations.map((c) => c.idDataset), 'Mean'],
    rows: methods.map((method, i) => [method, ...cells[i]!.map((c) => (c ? formatTableCell(c, { percent: true, digits: 1 }) : '-'))]),
    values: cells.map((row) => [null, ...row.map((c) => c?.mean ?? null)]),
    best: cells.map((_, i) => [false, ...best.map((set) => set.has(i))]),
    id: `table-vi-${metric}`,
  };
}

/** Table VI for every metric of TABLE_VI_METRICS as markdown, AUROC first. */
export function tableViMarkdown(results: ResultsFile): string {
  return TABLE_VI_METRICS.map((metric) => toMarkdown(tableVi(results, metric))).join('\n\n');
}
