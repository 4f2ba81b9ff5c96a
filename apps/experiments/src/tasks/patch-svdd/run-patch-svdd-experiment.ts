import { type RunOptions, type RunResult, runExperiment } from '../../core/run-experiment';
import type { PatchSvddConfig } from './config/patch-svdd-config';
import { writePatchSvddTables } from './report/write-tables';
import { patchSvddTask } from './task';

export { TABLE_IX_FILE, TABLE_VIII_FILE } from './report/write-tables';

export type RunPatchSvddOptions = RunOptions<PatchSvddConfig>;

/**
 * Runs a patch-svdd experiment with the core's trial runner (resume, interruption, failures,
 * results.json, report), then writes `table-viii.md` and `table-ix.md`. The returned `markdown` is
 * those tables followed by the core's.
 */
export async function runPatchSvddExperiment(options: RunPatchSvddOptions): Promise<RunResult> {
  const result = await runExperiment(patchSvddTask, options);
  if (result.reportFiles.length === 0) return result;
  const tables = await writePatchSvddTables(options.outDir, result.results);
  if (tables === null) return result;
  return { ...result, reportFiles: [...result.reportFiles, ...tables.files], markdown: `${tables.markdown}\n${result.markdown}` };
}
