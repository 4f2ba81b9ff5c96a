import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { BUG_REPORT_HINT, classifyError } from './classify-error';

const root = mkdtempSync(join(tmpdir(), 'curvad-fs-errors-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The error a real fs call throws. */
function errorOf(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the fs call to fail');
}

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/**
 * Permission errors need a user the permissions apply to: root bypasses them, so when the tests
 * run as root the fs call runs in a child process as `nobody` and its errno error comes back as JSON.
 */
function errorAsUnprivileged(code: string): Error {
  const script = `const fs = require('node:fs'); try { ${code}; } catch (e) { process.stdout.write(JSON.stringify({ message: e.message, code: e.code, errno: e.errno, syscall: e.syscall, path: e.path })); }`;
  const out = execFileSync(process.execPath, ['-e', script], isRoot ? { uid: NOBODY, gid: NOBODY } : {}).toString();
  const fields = JSON.parse(out) as { message: string };
  return Object.assign(new Error(fields.message), fields);
}

function expectUserError(error: Error, ...parts: string[]) {
  const { code, text } = classifyError(error);
  expect(code).toBe(2);
  expect(text).not.toContain(BUG_REPORT_HINT);
  expect(text).not.toContain(' at ');
  // One sentence: the message, then what to do.
  expect(text.split('\n')).toHaveLength(1);
  for (const part of parts) expect(text).toContain(part);
}

describe("classifyError: file-system errors are the user's or the machine's, exit 2 with the path and what to do", () => {
  const aFile = join(root, 'a-file');
  writeFileSync(aFile, 'x');

  test('EEXIST: --out naming a file (mkdir -p of it)', () => {
    const error = errorOf(() => mkdirSync(aFile, { recursive: true }));
    expect((error as NodeJS.ErrnoException).code).toBe('EEXIST');
    expectUserError(error, `${aFile} is a file where curvad needs a folder`, 'choose another path');
  });

  test('EEXIST from a plain mkdir of an existing folder does not claim a file is in the way', () => {
    const error = errorOf(() => mkdirSync(root));
    expect((error as NodeJS.ErrnoException).code).toBe('EEXIST');
    expectUserError(error, `${root} already exists: remove or rename it, or choose another path.`);
  });

  test('ENOTDIR: a folder under a file (datasets fetch --dir a-file/sub)', () => {
    const error = errorOf(() => mkdirSync(join(aFile, 'sub'), { recursive: true }));
    expect((error as NodeJS.ErrnoException).code).toBe('ENOTDIR');
    expectUserError(error, join(aFile, 'sub'), 'is a file, not a folder');
  });

  test('EISDIR: a folder where a file is written', () => {
    const error = errorOf(() => writeFileSync(root, 'x'));
    expect((error as NodeJS.ErrnoException).code).toBe('EISDIR');
    expectUserError(error, `${root} is a folder where a file is needed`);
  });

  test('ENOENT: a parent folder that does not exist', () => {
    const missing = join(root, 'no-such-folder', 'results.json');
    const error = errorOf(() => writeFileSync(missing, 'x'));
    expect((error as NodeJS.ErrnoException).code).toBe('ENOENT');
    expectUserError(error, `${missing} does not exist`, 'create the parent folder first');
  });

  test('ENOSPC: a full disk (/dev/full fails every write with ENOSPC)', () => {
    const error = errorOf(() => writeFileSync('/dev/full', 'x'));
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expectUserError(error, 'no space left', 'free some space');
  });

  test('EACCES: a read-only folder', () => {
    const readOnly = join(root, 'read-only');
    mkdirSync(readOnly);
    chmodSync(root, 0o755);
    chmodSync(readOnly, 0o555);
    const error = errorAsUnprivileged(`fs.mkdirSync(${JSON.stringify(join(readOnly, 'run'))})`);
    expect((error as NodeJS.ErrnoException).code).toBe('EACCES');
    expectUserError(error, `permission denied writing ${join(readOnly, 'run')}`, 'choose a folder you can write to');
  });

  test('EPERM: an operation only the owner may do', () => {
    chmodSync(root, 0o755);
    // As root the file made here belongs to another user than the child's; otherwise / does.
    const notOwned = isRoot ? aFile : '/';
    const error = errorAsUnprivileged(`fs.chmodSync(${JSON.stringify(notOwned)}, 0o755)`);
    expect((error as NodeJS.ErrnoException).code).toBe('EPERM');
    expectUserError(error, `operation not permitted writing ${notOwned}`, 'choose a folder you own');
  });

  test("EROFS: a read-only file system (no fs call here can make one without mounting, so Node's error shape is built)", () => {
    const error = Object.assign(new Error("EROFS: read-only file system, mkdir '/mnt/ro/run'"), {
      errno: -30,
      code: 'EROFS',
      syscall: 'mkdir',
      path: '/mnt/ro/run',
    });
    expectUserError(error, '/mnt/ro/run is on a read-only file system', 'choose a folder on a writable disk');
  });

  test('a rename names its destination; an fs error wrapped as a cause is still found', () => {
    const error = errorOf(() => mkdirSync(aFile, { recursive: true }));
    expectUserError(new Error('saving results failed', { cause: error }), aFile);
    const rename = Object.assign(new Error('EACCES'), {
      code: 'EACCES',
      syscall: 'rename',
      path: '/x/results.json.tmp-1',
      dest: '/x/results.json',
    });
    expectUserError(rename, 'permission denied writing /x/results.json:');
  });

  test('other errno codes stay bugs (exit 1)', () => {
    const error = Object.assign(new Error('EBADF: bad file descriptor, read'), { code: 'EBADF', syscall: 'read', errno: -9 });
    expect(classifyError(error).code).toBe(1);
  });
});
