import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError } from './errors.js';
import { recordFile, recordFolder } from './file-records.js';
import { caught, useTempDir } from './test-support/temp-dir.js';

const tempDir = useTempDir();
const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

describe('recordFile', () => {
  it('gives path, size and SHA-256, from the bytes in hand or from disk alike', async () => {
    const path = join(tempDir(), 'a.bin');
    writeFileSync(path, 'hello');
    expect(await recordFile(path)).toEqual({ path, bytes: 5, sha256: sha256('hello') });
    expect(await recordFile(path, readFileSync(path))).toEqual({ path, bytes: 5, sha256: sha256('hello') });
  });

  it('reuses the digest while size and mtime are unchanged, and rehashes when either changes', async () => {
    const path = join(tempDir(), 'a.bin');
    writeFileSync(path, 'aaaa');
    const fixed = new Date('2020-01-01T00:00:00Z');
    utimesSync(path, fixed, fixed);
    expect((await recordFile(path)).sha256).toBe(sha256('aaaa'));
    // same size, same mtime: the cached digest is returned (the file is not read again)
    writeFileSync(path, 'bbbb');
    utimesSync(path, fixed, fixed);
    expect((await recordFile(path)).sha256).toBe(sha256('aaaa'));
    utimesSync(path, new Date('2021-01-01T00:00:00Z'), new Date('2021-01-01T00:00:00Z'));
    expect((await recordFile(path)).sha256).toBe(sha256('bbbb'));
  });

  it('names a file it cannot read', async () => {
    const path = join(tempDir(), 'missing.bin');
    const e = await caught(() => recordFile(path));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain(path);
  });
});

describe('recordFolder', () => {
  it('digests the sorted relative names and contents: order-independent, and any rename or edit changes it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a.png'), 'one');
    writeFileSync(join(dir, 'b', 'c.png'), 'three!');
    const files = [join(dir, 'b', 'c.png'), join(dir, 'a.png')];
    const record = await recordFolder(dir, files);
    expect(record.path).toBe(dir);
    expect(record.bytes).toBe(9);
    expect(record.sha256).toBe(sha256(`a.png\t${sha256('one')}\nb/c.png\t${sha256('three!')}\n`));
    expect((await recordFolder(dir, [...files].reverse())).sha256).toBe(record.sha256);
    writeFileSync(join(dir, 'a.png'), 'ONE, longer');
    expect((await recordFolder(dir, files)).sha256).not.toBe(record.sha256);
  });
});
