import { readFile } from 'node:fs/promises';
import { ExperimentError } from '../experiment-error';
import { resultsFileSchema, type ResultsFile } from './results-file';

/** Reads and validates a results.json (what `curvad report DIR` starts from). */
export async function readResultsFile(path: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ExperimentError(`no results file at ${path}; run an experiment first (curvad experiment ood --preset NAME --out DIR).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ExperimentError(`${path} is not valid JSON (${(error as Error).message}); it may have been cut short, rerun with --resume.`);
  }
  const parsed = resultsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ExperimentError(`${path} is not a curvad results file: ${issue.path.join('.')}: ${issue.message}.`);
  }
  return parsed.data;
}
