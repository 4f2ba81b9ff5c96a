import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

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

/**
 * The first folder in `dirs` holding every one of `files` (each file may also be present with
 * `.gz` appended). Returns the folder and the resolved file paths, or undefined.
 */
export function findFiles(dirs: readonly string[], files: readonly string[]): { dir: string; paths: string[] } | undefined {
  for (const dir of dirs) {
    const paths: string[] = [];
    for (const file of files) {
      const plain = join(dir, file);
      const gz = `${plain}.gz`;
      if (existsSync(plain)) paths.push(plain);
      else if (existsSync(gz)) paths.push(gz);
      else break;
    }
    if (paths.length === files.length) return { dir, paths };
  }
  return undefined;
}
