import type { Dirent } from 'node:fs';
import { mkdir, readdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ExperimentError } from '../../experiment-error';

/** What an out folder check found: the folder, and the topmost folder it had to create (null: it existed). */
export interface PreparedOutDir {
  dir: string;
  created: string | null;
}

/** One sentence on why `path` cannot hold a run's results, from a Node file-system error. */
export function outDirProblem(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return `--out ${path} is (or lies under) a file, not a folder; choose a folder path for the results.`;
    case 'EROFS':
      return `--out ${path} is on a read-only file system; choose a folder on a writable disk.`;
    case 'EACCES':
    case 'EPERM':
      return `no permission to write in --out ${path}; choose a folder you can write to, or change its permissions (chmod u+w).`;
    case 'ENOENT':
      return `--out ${path} cannot be created: its parent folder accepts no new folders (a pseudo file system such as /proc?); choose a folder on a writable disk.`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `the disk holding --out ${path} is full; free some space or choose a folder on another disk.`;
    default:
      return `cannot write in --out ${path} (${(error as Error)?.message ?? String(error)}); choose another folder.`;
  }
}

/** The first ancestor of `path` (itself included) that exists, with its stat. */
async function nearestExisting(path: string): Promise<{ path: string; isDirectory: boolean }> {
  let current = resolve(path);
  for (;;) {
    try {
      const info = await stat(current);
      return { path: current, isDirectory: info.isDirectory() };
    } catch (error) {
      const parent = dirname(current);
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: an ancestor is a file; walk up to find it.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === current) throw error;
      current = parent;
    }
  }
}

/**
 * Checks, before any data is read or model trained, that `outDir` can be created and written: it
 * creates it (and missing parents) and writes and removes a probe file. Throws ExperimentError
 * naming the path and what to do ("is a file", "read-only", "no permission").
 */
export async function prepareOutDir(outDir: string): Promise<PreparedOutDir> {
  const dir = resolve(outDir);
  let existing: { path: string; isDirectory: boolean };
  try {
    existing = await nearestExisting(dir);
  } catch (error) {
    throw new ExperimentError(outDirProblem(dir, error));
  }
  if (!existing.isDirectory) {
    const what = existing.path === dir ? `--out ${dir} is a file` : `--out ${dir} lies under ${existing.path}, which is a file`;
    throw new ExperimentError(`${what}, not a folder; choose a folder path for the results.`);
  }
  let created: string | null = null;
  try {
    // One folder at a time, not mkdir's recursive mode: on pseudo file systems (/proc) that refuse
    // a new folder with ENOENT, Node's recursive mkdir retries forever.
    for (const folder of missingFolders(existing.path, dir)) {
      await mkdir(folder);
      created ??= folder;
    }
    const probe = join(dir, `.curvad-write-probe-${process.pid}`);
    await writeFile(probe, 'probe');
    await rm(probe, { force: true });
  } catch (error) {
    if (created) await removeIfEmpty(created);
    throw new ExperimentError(outDirProblem(dir, error));
  }
  return { dir, created };
}

/** The folders from below `existing` down to `dir`, outermost first. */
function missingFolders(existing: string, dir: string): string[] {
  const folders: string[] = [];
  for (let current = dir; current !== existing; current = dirname(current)) folders.unshift(current);
  return folders;
}

/** Removes `dir` if it holds no files (only empty folders, or nothing); a folder holding any file stays. */
export async function removeIfEmpty(dir: string): Promise<boolean> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  let empty = true;
  for (const entry of entries) {
    if (!entry.isDirectory() || !(await removeIfEmpty(join(dir, entry.name)))) empty = false;
  }
  if (!empty) return false;
  await rmdir(dir).catch(() => undefined);
  return true;
}
