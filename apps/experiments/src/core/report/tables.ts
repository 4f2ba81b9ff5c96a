import { formatTableCell } from '@curvad/metrics';
import type { ConfigurationResult } from '../results/results-file';
import { AVERAGE_OOD, type Cell, METRIC_KEYS, METRIC_TITLES, type SummaryRow, summarizeConfiguration } from '../results/summarize';
import { slug } from '../slug';
import { bestIndices, LOWER_IS_BETTER } from './best-methods';

export interface Table {
  title: string;
  header: string[];
  rows: string[][];
  /** The number behind each cell (the mean), for sorting in the browser; null for text and '-'. */
  values?: (number | null)[][];
  /** Cells holding the best value of their column (the direction of each metric respected). */
  best?: boolean[][];
  /** Anchor for links (the HTML report's table of contents). */
  id?: string;
}

function formatCell(c: Cell | null): string {
  if (!c) return '-';
  return formatTableCell({ mean: c.mean, std: c.std }, { percent: true, digits: 1 });
}

function tableFor(config: ConfigurationResult, rows: SummaryRow[], oodSet: string): Table {
  const scope = oodSet === AVERAGE_OOD ? `average over ${config.oodSets.join(', ')}` : `OOD set ${oodSet}`;
  const n = rows[0]?.perOod[oodSet]?.auroc.n ?? 0;
  const present = rows.filter((r) => r.perOod[oodSet]);
  const columns: { cell: (r: SummaryRow) => Cell | null; lowerIsBetter: boolean }[] = [
    { cell: (r) => r.idAccuracy, lowerIsBetter: false },
    ...METRIC_KEYS.map((k) => ({ cell: (r: SummaryRow) => r.perOod[oodSet]![k], lowerIsBetter: LOWER_IS_BETTER.has(k) })),
  ];
  const bestPerColumn = columns.map(
    (c) =>
      new Set(
        bestIndices(
          present.map((r) => c.cell(r)?.mean ?? null),
          c.lowerIsBetter,
        ),
      ),
  );
  return {
    title: `${config.name}: ${config.idDataset} (ID), ${scope}; mean +- std over ${n} trial(s), in %`,
    header: ['Method', 'ID acc. ↑', ...METRIC_KEYS.map((k) => METRIC_TITLES[k])],
    rows: present.map((r) => [r.method, ...columns.map((c) => formatCell(c.cell(r)))]),
    values: present.map((r) => [null, ...columns.map((c) => c.cell(r)?.mean ?? null)]),
    best: present.map((_, i) => [false, ...bestPerColumn.map((set) => set.has(i))]),
    id: `${slug(config.name)}-${slug(oodSet)}`,
  };
}

/** The paper's layout (Tables III, IV): one row per method; the first table averages the OOD sets. */
export function configurationTables(config: ConfigurationResult, rows: SummaryRow[] = summarizeConfiguration(config)): Table[] {
  if (rows.length === 0) return [];
  return [AVERAGE_OOD, ...config.oodSets].map((set) => tableFor(config, rows, set));
}

export function toMarkdown(table: Table): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [`**${table.title}**`, '', line(table.header), line(table.header.map(() => '---')), ...table.rows.map(line)].join('\n');
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Long-format CSV with raw numbers (fractions), one line per configuration x OOD set x method x metric.
 * `summaries[i]`: configs[i]'s summary rows when already computed.
 */
export function toCsv(configs: ConfigurationResult[], summaries?: readonly SummaryRow[][]): string {
  const lines = ['configuration,ood_set,method,model,metric,mean,std,trials'];
  for (const [i, config] of configs.entries()) {
    const rows = summaries?.[i] ?? summarizeConfiguration(config);
    for (const set of [AVERAGE_OOD, ...config.oodSets]) {
      for (const r of rows) {
        const cells = r.perOod[set];
        if (!cells) continue;
        const entries: [string, Cell | null][] = [
          ['id_accuracy', r.idAccuracy],
          ...METRIC_KEYS.map((k) => [k, cells[k]] as [string, Cell]),
        ];
        for (const [metric, c] of entries) {
          if (!c) continue;
          lines.push(
            [config.name, set, r.method, r.model, metric, String(c.mean), c.std === null ? '' : String(c.std), String(c.n)]
              .map(csvField)
              .join(','),
          );
        }
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
