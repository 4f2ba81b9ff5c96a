// Reading back the raw scores a unit saved (core/artifacts/score-files.ts writes them):
// scores/<configuration>/trial-<t>/<method>.f32 holds the sets one after another (float32, the
// machine's byte order, as saveScores writes a Float32Array's buffer), index.json names each
// method's file and its sets with their counts.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExperimentError } from '../../experiment-error';

export interface SavedSet {
  set: string;
  scores: Float32Array;
}

interface IndexEntry {
  file: string;
  sets: { set: string; count: number }[];
}

/** The folder of one trial's raw scores. */
export function trialScoresDir(resultsDir: string, configuration: string, trial: number): string {
  return join(resultsDir, 'scores', configuration, `trial-${trial}`);
}

/** The methods a trial saved raw scores for, with their files and set counts; null when it saved none. */
export async function readScoreIndex(dir: string): Promise<Record<string, IndexEntry> | null> {
  const path = join(dir, 'index.json');
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, IndexEntry>;
  } catch (error) {
    throw new ExperimentError(
      `${path} is not a readable score index (${error instanceof Error ? error.message : String(error)}); rerun the trial with --resume after deleting its scores folder.`,
    );
  }
}

/** `method`'s saved scores per set, in the order they were saved; throws when the file's size disagrees with the index. */
export async function readSavedScores(dir: string, method: string, entry: IndexEntry): Promise<SavedSet[]> {
  const path = join(dir, entry.file);
  const bytes = await readFile(path);
  const expected = entry.sets.reduce((n, s) => n + s.count, 0);
  if (bytes.byteLength !== expected * Float32Array.BYTES_PER_ELEMENT) {
    throw new ExperimentError(
      `${path} (scores of ${method}) has ${bytes.byteLength} bytes; its index.json lists ${expected} scores (${expected * Float32Array.BYTES_PER_ELEMENT} bytes). The file is damaged or from another run.`,
    );
  }
  // A copy: the Buffer's offset into its pool need not be float-aligned.
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let offset = 0;
  return entry.sets.map((s) => {
    const scores = all.subarray(offset, offset + s.count);
    offset += s.count;
    return { set: s.set, scores };
  });
}
