import { type WrittenReport, writeReport as writeCoreReport } from './core/report/write-report';
import type { ResultsFile } from './core/results/results-file';
import { writeTableVi } from './tasks/one-class/report/write-table-vi';
import { writePatchSvddTables } from './tasks/patch-svdd/report/write-tables';
import { anyTaskConfigFacts, recordingTask } from './tasks/registry';
import { writeTableVii } from './tasks/segmentation/report/write-table-vii';

/**
 * Writes tables.md, tables.csv, plots/*.svg and report.html into `dir` from a results file alone
 * (what `curvad report DIR` runs), the resolved config read by whichever task recorded it; for a
 * one-class run also table-vi.md, for a segmentation run table-vii.md (its markdown first in the returned text, as the run prints it).
 * The task's own report.html sections (Task.reportSections) read the run's files from
 * `options.resultsDir` (default `dir`; `curvad report DIR --out OUT` passes DIR).
 */
export async function writeReport(dir: string, results: ResultsFile, options: { resultsDir?: string } = {}): Promise<WrittenReport> {
  const written = await writeCoreReport(dir, results, anyTaskConfigFacts, {
    taskSections: recordingTask(results.config)?.reportSections,
    resultsDir: options.resultsDir,
  });
  const table = (await writeTableVi(dir, results)) ?? (await writeTableVii(dir, results));
  if (table !== null) return { markdown: `${table.markdown}\n${written.markdown}`, files: [...written.files, table.file] };
  const tables = await writePatchSvddTables(dir, results);
  return tables === null ? written : { markdown: `${tables.markdown}\n${written.markdown}`, files: [...written.files, ...tables.files] };
}
