import { statSync } from 'node:fs';

/** A Node errno error from an fs call: `code` and usually the `path` it was about. */
interface ErrnoError extends Error {
  code: string;
  path?: string;
  dest?: string;
  syscall?: string;
}

/** What went wrong with `path` and what to do, per errno code: a user's or a machine's problem, not a bug. */
const FS_ERROR_SENTENCES: Record<string, (path: string, syscall: string) => string> = {
  EACCES: (path, syscall) =>
    `permission denied ${accessVerb(syscall)} ${path}: choose a folder you can write to (e.g. --out DIR under your home folder) or change its permissions.`,
  EPERM: (path, syscall) =>
    `operation not permitted ${accessVerb(syscall)} ${path}: choose a folder you own (e.g. --out DIR under your home folder) or change its permissions.`,
  EROFS: (path) => `${path} is on a read-only file system: choose a folder on a writable disk (e.g. --out DIR).`,
  ENOTDIR: (path) => `a part of ${path} is a file, not a folder: choose a path whose parent folders are folders, or move that file away.`,
  EISDIR: (path) => `${path} is a folder where a file is needed: give a file path, or move the folder away.`,
  EEXIST: (path, syscall) =>
    syscall === 'mkdir' && isFile(path)
      ? `${path} is a file where curvad needs a folder: choose another path (e.g. another --out DIR) or move the file away.`
      : `${path} already exists: remove or rename it, or choose another path.`,
  ENOSPC: (path) =>
    `no space left on the disk holding ${path}: free some space or choose a folder on another disk, then run the command again.`,
  EDQUOT: (path) => `disk quota exceeded writing ${path}: free some space or choose a folder on another disk, then run the command again.`,
  ENOENT: (path) => `${path} does not exist (or one of its parent folders does not): check the path, or create the parent folder first.`,
  ENAMETOOLONG: (path) => `the path ${path} is too long for this file system: choose a shorter path.`,
};

/** EEXIST from mkdir means a file is in the way only when the path is not a folder (a plain mkdir of an existing folder fails too). */
function isFile(path: string): boolean {
  try {
    return !statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function accessVerb(syscall: string): string {
  if (syscall === 'scandir' || syscall === 'open' || syscall === 'stat' || syscall === 'lstat') return 'opening';
  return 'writing';
}

function isErrnoError(error: unknown): error is ErrnoError {
  return (
    error instanceof Error &&
    typeof (error as Partial<ErrnoError>).code === 'string' &&
    typeof (error as Partial<ErrnoError>).syscall === 'string'
  );
}

/** The errno error in `error` or its `cause` chain (a library may wrap the fs error it hit). */
function findErrnoError(error: unknown): ErrnoError | null {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    if (isErrnoError(current) && current.code in FS_ERROR_SENTENCES) return current;
  }
  return null;
}

/**
 * One sentence for a file-system error that the user or the machine caused (permissions, a
 * read-only disk, a file where a folder is needed, a full disk, a missing parent folder), naming
 * the path and what to do; null for anything else. For a rename the destination is the path the
 * user chose, so it is the one named.
 */
export function fsErrorMessage(error: unknown): string | null {
  const found = findErrnoError(error);
  if (!found) return null;
  const path = found.syscall === 'rename' && found.dest ? found.dest : (found.path ?? found.dest ?? 'a file');
  return FS_ERROR_SENTENCES[found.code]!(path, found.syscall ?? '');
}
