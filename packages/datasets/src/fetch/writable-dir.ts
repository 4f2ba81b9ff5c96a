import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DatasetError } from '../errors.js';

/** The nearest existing ancestor of `path` (itself included) that is not a folder, if any. */
async function fileInTheWay(path: string): Promise<string | undefined> {
  for (let p = path; ; p = dirname(p)) {
    try {
      return (await stat(p)).isDirectory() ? undefined : p;
    } catch {
      if (dirname(p) === p) return undefined;
    }
  }
}

/**
 * Creates `dir` (and its parents) and checks it is writable, so that a download cannot fail after
 * minutes of transfer for want of a place to put it. `advice` says what to change
 * (a sentence: what to change).
 */
export async function ensureWritableDir(dir: string, advice: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const blocker = code === 'ENOTDIR' || code === 'EEXIST' ? await fileInTheWay(dir) : undefined;
    const reason =
      blocker !== undefined
        ? `${blocker} is a file, not a folder`
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? `it is not writable (${code})`
          : `${(cause as Error).message}`;
    throw new DatasetError(`Cannot download into ${dir}: ${reason}. ${advice}`, { path: dir, cause });
  }
}
