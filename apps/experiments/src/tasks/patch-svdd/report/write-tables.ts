import { join } from 'node:path';
import type { ResultsFile } from '../../../core/results/results-file';
import { writeFileAtomic } from '../../../core/store/write-file-atomic';
import { patchSvddConfigSchema } from '../config/patch-svdd-config';
import { patchSvddTablesMarkdown } from './table-viii-ix';

/** Table VIII (dagger scoring) and Table IX (Patch-SVDD scoring) of a patch-svdd run, beside tables.md. */
export const TABLE_VIII_FILE = 'table-viii.md';
export const TABLE_IX_FILE = 'table-ix.md';

/** Writes `dir/table-viii.md` and `dir/table-ix.md` (atomically, each for a scoring the run has) for a patch-svdd run with a finished trial; null otherwise. */
export async function writePatchSvddTables(dir: string, results: ResultsFile): Promise<{ markdown: string; files: string[] } | null> {
  const parsed = patchSvddConfigSchema.strip().safeParse(results.config);
  if (!parsed.success) return null;
  if (results.configurations.every((c) => c.trials.every((t) => t.status !== 'completed'))) return null;
  const parts: string[] = [];
  const files: string[] = [];
  for (const [scoring, fileName, title] of [
    ['dagger', TABLE_VIII_FILE, 'Table VIII'],
    ['knn', TABLE_IX_FILE, 'Table IX'],
  ] as const) {
    if (!parsed.data.scorings.includes(scoring)) continue;
    const markdown = `# ${results.experiment}: ${title}\n\n${patchSvddTablesMarkdown(results, scoring)}\n`;
    const file = join(dir, fileName);
    await writeFileAtomic(file, markdown);
    parts.push(markdown);
    files.push(file);
  }
  return { markdown: parts.join('\n'), files };
}
