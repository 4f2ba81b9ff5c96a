import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatasetError } from './errors.js';

/** Environment variable naming a data root; `<root>/<dataset>` and `<root>` itself are searched. */
export const DATA_ENV_VAR = 'CURVAD_DATA';

/** Where Debian packages put datasets (`dataset-fashion-mnist` installs `/usr/share/datasets/fashion-mnist`). */
export const SYSTEM_DATA_ROOT = '/usr/share/datasets';

/** The per-user cache the fetch command writes to: `~/.cache/curvad` (or `$XDG_CACHE_HOME/curvad`). */
export function userCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return xdg !== undefined && xdg !== '' ? join(xdg, 'curvad') : join(homedir(), '.cache', 'curvad');
}

/**
 * The folders searched for a dataset, in order: the explicit `dir`, `$CURVAD_DATA/<name>`,
 * `$CURVAD_DATA`, `~/.cache/curvad/<name>`, `/usr/share/datasets/<name>`.
 * With an explicit `dir` only that folder is searched, so a typo is reported rather than masked.
 */
export function dataSearchDirs(name: string, dir?: string): string[] {
  if (dir !== undefined) return [resolve(dir)];
  const dirs: string[] = [];
  const env = process.env[DATA_ENV_VAR];
  if (env !== undefined && env !== '') dirs.push(resolve(env, name), resolve(env));
  dirs.push(join(userCacheDir(), name), join(SYSTEM_DATA_ROOT, name));
  return dirs;
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** What `locateFileSet` found: every file in one folder, some of them, or none anywhere. */
export type FileSetLocation =
  | { state: 'complete'; dir: string; paths: string[] }
  | { state: 'partial'; dir: string; present: string[]; missing: string[] }
  | { state: 'absent' };

/**
 * Where an image-folder dataset is, found by its reader's own rule: 'complete' with the folder the
 * reader reads and every image folder it reads from there; 'partial' when that folder lacks some of
 * them (`missing`, relative to `dir`); 'absent' with the folders searched.
 */
export type ImageFolderLocation =
  | { state: 'complete'; dir: string; imageFolders: string[] }
  | { state: 'partial'; dir: string; missing: string[] }
  | { state: 'absent'; searched: string[] };

/**
 * Where a dataset's files are: the first folder of `dirs` holding ANY of `files` decides (each file
 * may also be present with `.gz` appended when `gzOk`). It is 'complete' when it holds all of
 * them, else 'partial' with the missing names. Every split is then read from that one folder: a
 * folder holding some files never falls through to a later one, so train and test cannot silently
 * come from two different copies.
 */
export function locateFileSet(dirs: readonly string[], files: readonly string[], gzOk = false): FileSetLocation {
  for (const dir of dirs) {
    const paths: string[] = [];
    const missing: string[] = [];
    for (const file of files) {
      const plain = join(dir, file);
      if (isFile(plain)) paths.push(plain);
      else if (gzOk && isFile(`${plain}.gz`)) paths.push(`${plain}.gz`);
      else missing.push(file);
    }
    if (missing.length === 0) return { state: 'complete', dir, paths };
    if (paths.length > 0) return { state: 'partial', dir, present: paths, missing };
  }
  return { state: 'absent' };
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The refusal for a 'partial' location: each missing file, the folder, and the two ways out. */
export function partialFolderError(dataset: string, location: { dir: string; missing: readonly string[] }, gzOk: boolean): DatasetError {
  const names = location.missing.map((f) => `${f}${gzOk ? '(.gz)' : ''}`).join(', ');
  return new DatasetError(
    `${dataset}: ${location.dir} holds only part of the dataset (missing: ${names}). Every split is read from one folder, so add the missing file${location.missing.length > 1 ? 's' : ''} there or remove the folder's files so that the next copy is used.`,
    { path: location.dir },
  );
}
