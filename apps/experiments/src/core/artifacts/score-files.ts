import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { slug } from '../slug';
import { writeFileAtomic } from '../store/write-file-atomic';
import { withDirectoryLock } from './directory-lock';
import { trialScoresDir } from './saved-scores';

/** One method's raw scores per evaluation set ('ID' first, then each OOD set). */
export interface SetScores {
  set: string;
  scores: Float32Array;
}

interface ScoreIndexEntry {
  file: string;
  sets: { set: string; count: number }[];
}

/** Raw scores of one method: `scores/<configuration>/trial-<t>/<method>.f32` (the sets one after another) and an entry in index.json. */
export async function saveScores(
  outDir: string,
  configuration: string,
  trial: number,
  method: string,
  sets: readonly SetScores[],
): Promise<void> {
  const dir = trialScoresDir(outDir, configuration, trial);
  await mkdir(dir, { recursive: true });
  const total = sets.reduce((n, s) => n + s.scores.length, 0);
  const all = new Float32Array(total);
  let offset = 0;
  for (const s of sets) {
    all.set(s.scores, offset);
    offset += s.scores.length;
  }
  const file = `${slug(method)}.f32`;
  await writeFileAtomic(join(dir, file), new Uint8Array(all.buffer));
  const indexPath = join(dir, 'index.json');
  // Units of one trial may finish at once in several workers: the index is updated under a lock, and
  // its methods are written in sorted order, so its bytes do not depend on the order units finished.
  await withDirectoryLock(dir, async () => {
    const index: Record<string, ScoreIndexEntry> = existsSync(indexPath) ? JSON.parse(await readFile(indexPath, 'utf8')) : {};
    index[method] = { file, sets: sets.map((s) => ({ set: s.set, count: s.scores.length })) };
    const sorted = Object.fromEntries(
      Object.keys(index)
        .sort()
        .map((m) => [m, index[m]!]),
    );
    await writeFileAtomic(indexPath, JSON.stringify(sorted, null, 1));
  });
}
