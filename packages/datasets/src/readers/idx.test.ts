import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { caught, useTempDir } from '../test-support/temp-dir.js';
import { encodeIdxUint8, parseIdx, readIdx } from './idx.js';

const tempDir = useTempDir();

describe('parseIdx', () => {
  test.prop([fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 1000 })])(
    'round-trips uint8 arrays of any dims',
    (dims, seed) => {
      const n = dims.reduce((a, b) => a * b, 1);
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256);
      const parsed = parseIdx(encodeIdxUint8(dims, data), 'mem');
      expect(parsed.dims).toEqual(dims);
      expect(Array.from(parsed.data)).toEqual(Array.from(data));
    },
  );

  it('reads big-endian int32 and float32 payloads', () => {
    const bytes = new Uint8Array(4 + 4 + 8);
    const view = new DataView(bytes.buffer);
    bytes.set([0, 0, 0x0c, 1]);
    view.setUint32(4, 2, false);
    view.setInt32(8, -70000, false);
    view.setInt32(12, 123456789, false);
    expect(Array.from(parseIdx(bytes, 'int').data)).toEqual([-70000, 123456789]);
    bytes[2] = 0x0d;
    view.setFloat32(8, 1.5, false);
    view.setFloat32(12, -2.25, false);
    expect(Array.from(parseIdx(bytes, 'float').data)).toEqual([1.5, -2.25]);
  });

  it('rejects a wrong magic number, naming the file and the expected magic', () => {
    const bytes = encodeIdxUint8([2], new Uint8Array([1, 2]));
    bytes[0] = 0x12;
    const e = (() => {
      try {
        parseIdx(bytes, '/data/labels-idx1');
      } catch (err) {
        return err as Error;
      }
      throw new Error('no throw');
    })();
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain('/data/labels-idx1');
    expect(e.message).toContain('wrong magic number 12 00 08 01');
    expect(e.message).toContain('00 00 08 03');
    bytes[0] = 0;
    bytes[2] = 0x07; // not an IDX type
    expect(() => parseIdx(bytes, 'f')).toThrow(/wrong magic/);
  });

  it('rejects truncated data and trailing bytes with the expected length', () => {
    const good = encodeIdxUint8([3, 2, 2], new Uint8Array(12));
    expect(() => parseIdx(good.subarray(0, good.length - 1), 'img')).toThrow(/needs exactly 28.*truncated/);
    expect(() => parseIdx(good.subarray(0, 10), 'img')).toThrow(/truncated IDX header/);
    expect(() => parseIdx(good.subarray(0, 2), 'img')).toThrow(/too short/);
    const long = new Uint8Array(good.length + 3);
    long.set(good);
    expect(() => parseIdx(long, 'img')).toThrow(/extra bytes/);
  });
});

describe('readIdx', () => {
  it('reads raw and gzipped files alike', async () => {
    const dir = tempDir();
    const bytes = encodeIdxUint8([2, 3], Uint8Array.from([0, 1, 2, 253, 254, 255]));
    writeFileSync(join(dir, 'raw'), bytes);
    writeFileSync(join(dir, 'zipped.gz'), gzipSync(bytes));
    const raw = await readIdx(join(dir, 'raw'));
    const zipped = await readIdx(join(dir, 'zipped.gz'));
    expect(raw.dims).toEqual([2, 3]);
    expect(Array.from(zipped.data)).toEqual(Array.from(raw.data));
  });

  it('names a truncated gzip file', async () => {
    const dir = tempDir();
    const gz = gzipSync(encodeIdxUint8([100], new Uint8Array(100).fill(7)));
    writeFileSync(join(dir, 'cut.gz'), gz.subarray(0, gz.length - 10));
    const e = await caught(() => readIdx(join(dir, 'cut.gz')));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain(join(dir, 'cut.gz'));
    expect(e.message).toMatch(/does not decompress/);
  });

  it('names a missing file', async () => {
    const e = await caught(() => readIdx('/nonexistent/file-idx3-ubyte'));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain('/nonexistent/file-idx3-ubyte');
  });
});
