import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ExperimentError } from '../../experiment-error';
import { outDirProblem, prepareOutDir, removeIfEmpty } from './out-dir';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'curvad-out-dir-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A Node errno error as fs raises it. */
function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: fake`), { code });
}

describe('outDirProblem', () => {
  test.each([
    ['EROFS', /--out \/data\/run is on a read-only file system; choose a folder on a writable disk\./],
    ['EACCES', /no permission to write in --out \/data\/run; choose a folder you can write to, or change its permissions/],
    ['EPERM', /no permission to write in --out \/data\/run/],
    ['ENOTDIR', /--out \/data\/run is \(or lies under\) a file, not a folder/],
    ['ENOSPC', /the disk holding --out \/data\/run is full/],
    ['ENOENT', /--out \/data\/run cannot be created: its parent folder accepts no new folders/],
    ['EIO', /cannot write in --out \/data\/run \(EIO: fake\); choose another folder\./],
  ])('%s: one sentence naming the path and what to do', (code, expected) => {
    const message = outDirProblem('/data/run', errno(code));
    expect(message).toMatch(expected);
    expect(message).not.toMatch(/bug/i);
  });
});

describe('prepareOutDir', () => {
  test('creates missing folders, reports the topmost one it made, and leaves no probe file', async () => {
    const dir = join(root, 'a', 'b', 'c');
    const prepared = await prepareOutDir(dir);
    expect(prepared).toEqual({ dir, created: join(root, 'a') });
    expect(await readdir(dir)).toEqual([]);
    expect(await prepareOutDir(dir)).toEqual({ dir, created: null });
  });

  test('a file, or a path under a file, is an ExperimentError naming both', async () => {
    const file = join(root, 'file.txt');
    await writeFile(file, 'x');
    await expect(prepareOutDir(file)).rejects.toThrow(`--out ${file} is a file, not a folder; choose a folder path for the results.`);
    await expect(prepareOutDir(join(file, 'run'))).rejects.toThrow(
      `--out ${join(file, 'run')} lies under ${file}, which is a file, not a folder`,
    );
    await prepareOutDir(file).catch((error) => expect(ExperimentError.isInstance(error)).toBe(true));
  });
});

describe('prepareOutDir on a pseudo file system', () => {
  // Node's recursive mkdir retries forever when /proc answers ENOENT (the CLI hung at 100% CPU).
  test('a folder under /proc fails at once with an ExperimentError naming it', async () => {
    const attempt = prepareOutDir('/proc/curvad-out-test/run');
    await expect(attempt).rejects.toThrow(ExperimentError);
    // Linux: /proc refuses the folder (ENOENT); elsewhere / itself is not writable.
    await expect(attempt).rejects.toThrow(/--out \/proc\/curvad-out-test\/run\b/);
  }, 5_000);
});

describe('removeIfEmpty', () => {
  test('removes a tree of empty folders, keeps one that holds a file', async () => {
    await mkdir(join(root, 'empty', 'x', 'y'), { recursive: true });
    expect(await removeIfEmpty(join(root, 'empty'))).toBe(true);
    expect(existsSync(join(root, 'empty'))).toBe(false);
    await mkdir(join(root, 'kept', 'x'), { recursive: true });
    await writeFile(join(root, 'kept', 'x', 'data'), '1');
    expect(await removeIfEmpty(join(root, 'kept'))).toBe(false);
    expect(existsSync(join(root, 'kept', 'x', 'data'))).toBe(true);
  });
});
