import { join } from 'node:path';
import type { ResultsFile } from '../../../core/results/results-file';
import { writeFileAtomic } from '../../../core/store/write-file-atomic';
import { oneClassConfigSchema } from '../config/one-class-config';
import { tableViMarkdown } from './table-vi';

/** Table VI of a one-class run (one row per method, one column per normal class and the mean), beside tables.md. */
export const TABLE_VI_FILE = 'table-vi.md';

/**
 * Writes `dir/table-vi.md` (atomically) for the results of a one-class run with at least one
 * finished trial and returns its markdown and path; null for another task's results or a run with
 * no trial yet.
 */
export async function writeTableVi(dir: string, results: ResultsFile): Promise<{ markdown: string; file: string } | null> {
  if (!oneClassConfigSchema.strip().safeParse(results.config).success) return null;
  if (results.configurations.every((c) => c.trials.length === 0)) return null;
  const markdown = `# ${results.experiment}: Table VI\n\n${tableViMarkdown(results)}\n`;
  const file = join(dir, TABLE_VI_FILE);
  await writeFileAtomic(file, markdown);
  return { markdown, file };
}
