import { type RunOptions, type RunResult, runExperiment } from '../../core/run-experiment';
import type { OneClassConfig } from './config/one-class-config';
import { writeTableVi } from './report/write-table-vi';
import { oneClassTask } from './task';

export { TABLE_VI_FILE } from './report/write-table-vi';

export type RunOneClassOptions = RunOptions<OneClassConfig>;

/**
 * Runs a one-class experiment with the core's trial runner (resume, interruption, failures,
 * results.json, report), then writes `table-vi.md`: the paper's Table VI layout for AUROC, AUPR-In,
 * AUPR-Out and FPR95. The returned `markdown` is Table VI followed by the core's per-class tables.
 */
export async function runOneClassExperiment(options: RunOneClassOptions): Promise<RunResult> {
  const result = await runExperiment(oneClassTask, options);
  if (result.reportFiles.length === 0) return result;
  const table = await writeTableVi(options.outDir, result.results);
  if (table === null) return result;
  return { ...result, reportFiles: [...result.reportFiles, table.file], markdown: `${table.markdown}\n${result.markdown}` };
}
