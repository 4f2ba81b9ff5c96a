import { join } from 'node:path';
import { type RunOptions, type RunResult, runExperiment } from '../../core/run-experiment';
import { writeFileAtomic } from '../../core/store/write-file-atomic';
import type { OneClassConfig } from './config/one-class-config';
import { tableViMarkdown } from './report/table-vi';
import { oneClassTask } from './task';

/** Table VI of the run (one row per method, one column per normal class and the mean), beside tables.md. */
export const TABLE_VI_FILE = 'table-vi.md';

export type RunOneClassOptions = RunOptions<OneClassConfig>;

/**
 * Runs a one-class experiment with the core's trial runner (resume, interruption, failures,
 * results.json, report), then writes `table-vi.md`: the paper's Table VI layout for AUROC, AUPR-In,
 * AUPR-Out and FPR95. The returned `markdown` is Table VI followed by the core's per-class tables.
 */
export async function runOneClassExperiment(options: RunOneClassOptions): Promise<RunResult> {
  const result = await runExperiment(oneClassTask, options);
  if (result.reportFiles.length === 0) return result;
  const table = `# ${result.results.experiment}: Table VI\n\n${tableViMarkdown(result.results)}\n`;
  const file = join(options.outDir, TABLE_VI_FILE);
  await writeFileAtomic(file, table);
  return { ...result, reportFiles: [...result.reportFiles, file], markdown: `${table}\n${result.markdown}` };
}
