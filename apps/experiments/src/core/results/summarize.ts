import { summarizeTrials } from '@curvad/metrics';
import type { ConfigurationResult, MetricSet, ResultsFile } from './results-file';

export const METRIC_KEYS = ['fpr95', 'detectionError', 'auroc', 'auprIn', 'auprOut'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

/** Column titles in the paper's order; arrows say which way is better. */
export const METRIC_TITLES: Record<MetricKey, string> = {
  fpr95: 'FPR (95% TPR) ↓',
  detectionError: 'Detection error ↓',
  auroc: 'AUROC ↑',
  auprIn: 'AUPR-In ↑',
  auprOut: 'AUPR-Out ↑',
};

/** The name of the pseudo OOD set that averages over all OOD sets of a trial (the paper's tables). */
export const AVERAGE_OOD = 'average';

export interface Cell {
  mean: number;
  /** Sample std over trials; null with a single trial. */
  std: number | null;
  n: number;
  values: number[];
}

export interface SummaryRow {
  method: string;
  model: string;
  idAccuracy: Cell | null;
  /** metric cells per OOD set name, plus AVERAGE_OOD. */
  perOod: Record<string, Record<MetricKey, Cell>>;
}

function cell(values: number[]): Cell {
  const s = summarizeTrials(values);
  return { mean: s.mean, std: values.length > 1 ? s.std : null, n: values.length, values };
}

function averageOverSets(perOod: Record<string, MetricSet>, sets: string[]): MetricSet {
  const out = { auroc: 0, auprIn: 0, auprOut: 0, fpr95: 0, detectionError: 0 };
  for (const set of sets) for (const key of METRIC_KEYS) out[key] += perOod[set]![key] / sets.length;
  return out;
}

/**
 * One row per method over the completed trials of a configuration: per OOD set and averaged
 * over OOD sets (averaged within each trial first, then mean and std over trials).
 */
export function summarizeConfiguration(config: ConfigurationResult): SummaryRow[] {
  const completed = config.trials.filter((t) => t.status === 'completed');
  if (completed.length === 0) return [];
  const methodOrder: string[] = [];
  for (const t of completed) for (const m of t.methods) if (!methodOrder.includes(m.method)) methodOrder.push(m.method);
  const rows: SummaryRow[] = [];
  for (const method of methodOrder) {
    const results = completed.flatMap((t) => {
      const m = t.methods.find((x) => x.method === method);
      return m ? [{ trial: t, m }] : [];
    });
    const model = results[0]!.m.model;
    const accuracies = results.map((r) => r.trial.idAccuracy[model]).filter((a): a is number => a !== undefined);
    const sets = config.oodSets.filter((set) => results.every((r) => r.m.perOod[set] !== undefined));
    const perOod: SummaryRow['perOod'] = {};
    for (const set of [...sets, AVERAGE_OOD]) {
      const metrics = results.map((r) => (set === AVERAGE_OOD ? averageOverSets(r.m.perOod, sets) : r.m.perOod[set]!));
      perOod[set] = Object.fromEntries(METRIC_KEYS.map((k) => [k, cell(metrics.map((x) => x[k]))])) as Record<MetricKey, Cell>;
    }
    rows.push({ method, model, idAccuracy: accuracies.length ? cell(accuracies) : null, perOod });
  }
  return rows;
}

/** Sets each configuration's `summary` from its trials (what the runner stores in results.json). */
export function withSummaries(results: ResultsFile): ResultsFile {
  for (const config of results.configurations) config.summary = summarizeConfiguration(config);
  return results;
}
