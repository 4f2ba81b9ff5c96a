// A lock on a folder for short read-modify-write updates of a shared file (a trial's score index),
// which units finishing at once in several workers (or machines sharing the results folder) update.
// mkdir is atomic on local file systems and on NFS, so the lock is a `.lock` folder; a lock older than
// `staleMs` is taken to be left by a killed process and removed.
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface DirectoryLockOptions {
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** A lock older than this was left by a killed process (default 60 s). */
  staleMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function lockAge(path: string): Promise<number | null> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return null;
  }
}

/** Runs `work` while holding `dir`/.lock; other holders wait their turn. */
export async function withDirectoryLock<T>(dir: string, work: () => Promise<T>, options: DirectoryLockOptions = {}): Promise<T> {
  const lock = join(dir, '.lock');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 60_000;
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await lockAge(lock);
      if (age !== null && age > staleMs) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - started > timeoutMs) {
        throw new Error(
          `${lock} has been held for over ${Math.round(timeoutMs / 1000)} s; if no run is writing there, remove it and retry.`,
        );
      }
      await sleep(Math.min(200, 5 * 2 ** Math.min(attempt, 6)));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
