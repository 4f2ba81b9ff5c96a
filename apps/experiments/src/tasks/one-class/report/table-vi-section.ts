import { escapeHtml, tableHtml } from '../../../core/report/html-report';
import type { ResultsFile } from '../../../core/results/results-file';
import { TABLE_VI_METRICS, tableVi } from './table-vi';
import { TABLE_VI_FILE } from './write-table-vi';

/** Table VI in report.html: the tables of table-vi.md (AUROC, AUPR-In, AUPR-Out, FPR95), sortable. */
export function tableViHtml(results: ResultsFile): string {
  const intro = `<p>The paper's Table VI layout (as ${escapeHtml(TABLE_VI_FILE)}): one row per method, one column per normal class and the mean over the classes (per trial the mean over the classes, then mean +- sample std over the trials), in %.</p>`;
  return intro + TABLE_VI_METRICS.map((metric) => tableHtml(tableVi(results, metric))).join('\n');
}
