import type { Dirent } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Temporary files of atomic writes: `<name>.tmp-<pid>` (writeFileAtomic) and
 * `<name>.tmp-<pid>-<random>` (geo-layers' saveModel). A process killed mid-write leaves them.
 */
const TEMP_FILE = /\.tmp-(\d+)(?:-[0-9a-z]+)?$/;

/** True when a process with this id runs on this machine (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes, anywhere under `dir`, the temporary files of atomic writes whose writer process is gone
 * (a run killed with kill -9 during a save). Files of a live process are left alone: another run
 * may be writing them. Returns the removed paths.
 */
export async function removeStaleTempFiles(dir: string, alive: (pid: number) => boolean = processAlive): Promise<string[]> {
  const removed: string[] = [];
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return removed;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      removed.push(...(await removeStaleTempFiles(path, alive)));
      continue;
    }
    const match = TEMP_FILE.exec(entry.name);
    if (match && entry.isFile() && !alive(Number(match[1]))) {
      await rm(path, { force: true });
      removed.push(path);
    }
  }
  return removed;
}
