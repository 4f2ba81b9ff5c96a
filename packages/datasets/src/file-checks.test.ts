import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkIdxFile, checkRecordFile } from './file-checks.js';
import { encodeIdxUint8 } from './readers/idx.js';
import { useTempDir } from './test-support/temp-dir.js';

const tempDir = useTempDir();

describe('checkIdxFile', () => {
  it('accepts whole raw and gzipped files and says what is wrong with the others', () => {
    const dir = tempDir();
    const images = encodeIdxUint8([3, 4, 4], new Uint8Array(48).fill(7));
    const put = (name: string, bytes: Uint8Array | string): string => {
      writeFileSync(join(dir, name), bytes);
      return join(dir, name);
    };
    expect(checkIdxFile(put('raw', images), 3)).toEqual({ ok: true });
    expect(checkIdxFile(put('raw.gz', gzipSync(images)), 3)).toEqual({ ok: true });
    expect(checkIdxFile(put('empty.gz', ''), 3)).toEqual({ ok: false, reason: 'is empty' });
    expect(checkIdxFile(put('short', images.subarray(0, 40)), 3)).toEqual({
      ok: false,
      reason: 'is truncated or corrupt (holds 40 bytes, its header needs 64)',
    });
    const gz = gzipSync(images);
    expect(checkIdxFile(put('short.gz', gz.subarray(0, gz.length - 6)), 3).ok).toBe(false);
    expect(checkIdxFile(put('labels', encodeIdxUint8([3], new Uint8Array(3))), 3)).toEqual({
      ok: false,
      reason: 'is not an IDX uint8 file of rank 3 (expected magic 00 00 08 03)',
    });
    expect(checkIdxFile(put('text', 'not idx at all'), 1).ok).toBe(false);
    expect(checkIdxFile(join(dir, 'absent'), 1)).toEqual({ ok: false, reason: 'cannot be read (ENOENT)' });
  });
});

describe('checkRecordFile', () => {
  it('wants a non-empty whole number of records', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.bin'), new Uint8Array(2 * 3073));
    writeFileSync(join(dir, 'b.bin'), '');
    writeFileSync(join(dir, 'c.bin'), new Uint8Array(3073 + 5));
    expect(checkRecordFile(join(dir, 'a.bin'), 3073)).toEqual({ ok: true });
    expect(checkRecordFile(join(dir, 'b.bin'), 3073)).toEqual({ ok: false, reason: 'is empty' });
    expect(checkRecordFile(join(dir, 'c.bin'), 3073)).toEqual({
      ok: false,
      reason: 'is truncated or corrupt (3078 bytes is not a whole number of 3073-byte records)',
    });
  });
});
