import { join } from 'node:path';
import type { ResultsFile } from '../../../core/results/results-file';
import { writeFileAtomic } from '../../../core/store/write-file-atomic';
import { segmentationConfigSchema } from '../config/segmentation-config';
import { tableViiMarkdown } from './table-vii';

/** Table VII of a segmentation run, beside tables.md. */
export const TABLE_VII_FILE = 'table-vii.md';

/** Writes `dir/table-vii.md` (atomically) for a segmentation run with a finished trial; null otherwise. */
export async function writeTableVii(dir: string, results: ResultsFile): Promise<{ markdown: string; file: string } | null> {
  if (!segmentationConfigSchema.strip().safeParse(results.config).success) return null;
  if (results.configurations.every((c) => c.trials.every((t) => t.status !== 'completed'))) return null;
  const markdown = `# ${results.experiment}: Table VII\n\n${tableViiMarkdown(results)}\n`;
  const file = join(dir, TABLE_VII_FILE);
  await writeFileAtomic(file, markdown);
  return { markdown, file };
}
