import { type RunOptions, type RunResult, runExperiment } from '../../core/run-experiment';
import type { SegmentationConfig } from './config/segmentation-config';
import { writeTableVii } from './report/write-table-vii';
import { segmentationTask } from './task';

export { TABLE_VII_FILE } from './report/write-table-vii';

export type RunSegmentationOptions = RunOptions<SegmentationConfig>;

/**
 * Runs a segmentation experiment with the core's trial runner (resume, interruption, failures,
 * results.json, report), then writes `table-vii.md`. The returned `markdown` is Table VII followed by
 * the core's tables.
 */
export async function runSegmentationExperiment(options: RunSegmentationOptions): Promise<RunResult> {
  const result = await runExperiment(segmentationTask, options);
  if (result.reportFiles.length === 0) return result;
  const table = await writeTableVii(options.outDir, result.results);
  if (table === null) return result;
  return { ...result, reportFiles: [...result.reportFiles, table.file], markdown: `${table.markdown}\n${result.markdown}` };
}
