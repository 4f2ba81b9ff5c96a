import type { Cell, MetricKey, SummaryRow } from '../results/summarize';
import { METRIC_KEYS } from '../results/summarize';

/** Metrics where a smaller value is better (the paper's tables mark them with a down arrow). */
export const LOWER_IS_BETTER: ReadonlySet<MetricKey> = new Set<MetricKey>(['fpr95', 'detectionError']);

/** Means closer than this count as a tie (far below the 0.1% the tables print). */
const TIE_TOLERANCE = 1e-9;

/** Indices of the rows whose mean is best (ties included); empty when no row has a value. */
export function bestIndices(means: (number | null)[], lowerIsBetter: boolean): number[] {
  const present = means.filter((m): m is number => m !== null);
  if (present.length === 0) return [];
  const best = lowerIsBetter ? Math.min(...present) : Math.max(...present);
  return means.flatMap((m, i) => (m !== null && Math.abs(m - best) <= TIE_TOLERANCE ? [i] : []));
}

export interface BestMethod {
  metric: MetricKey | 'idAccuracy';
  methods: string[];
  cell: Cell;
}

/** Per metric (and ID accuracy), the best method(s) on one OOD set or the average. */
export function bestMethods(rows: SummaryRow[], oodSet: string): BestMethod[] {
  const present = rows.filter((r) => r.perOod[oodSet]);
  const out: BestMethod[] = [];
  const accuracy = bestIndices(
    present.map((r) => r.idAccuracy?.mean ?? null),
    false,
  );
  if (accuracy.length)
    out.push({ metric: 'idAccuracy', methods: accuracy.map((i) => present[i]!.method), cell: present[accuracy[0]!]!.idAccuracy! });
  for (const key of METRIC_KEYS) {
    const best = bestIndices(
      present.map((r) => r.perOod[oodSet]![key].mean),
      LOWER_IS_BETTER.has(key),
    );
    if (best.length) out.push({ metric: key, methods: best.map((i) => present[i]!.method), cell: present[best[0]!]!.perOod[oodSet]![key] });
  }
  return out;
}
