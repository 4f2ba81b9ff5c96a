import { type WrittenReport, writeReport as writeCoreReport } from './core/report/write-report';
import type { ResultsFile } from './core/results/results-file';
import { anyTaskConfigFacts } from './tasks/registry';

/**
 * Writes tables.md, tables.csv, plots/*.svg and report.html into `dir` from a results file alone
 * (what `curvad report DIR` runs), the resolved config read by whichever task recorded it.
 */
export function writeReport(dir: string, results: ResultsFile): Promise<WrittenReport> {
  return writeCoreReport(dir, results, anyTaskConfigFacts);
}
