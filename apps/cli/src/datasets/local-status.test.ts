import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CIFAR_FILES, DATA_ENV_VAR, encodeIdxUint8, listFetchableDatasets, MVTEC_CATEGORIES, mnist } from '@curvad/datasets';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { localStatus } from './local-status';

const root = mkdtempSync(join(tmpdir(), 'curvad-cli-data-'));
const saved = { data: process.env[DATA_ENV_VAR], xdg: process.env.XDG_CACHE_HOME };

/** Two 2x2 images and their labels in the official IDX file names (gzip-less, as the readers accept). */
function writeIdxSplit(dir: string, prefix: 'train' | 't10k'): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), encodeIdxUint8([2, 2, 2], new Uint8Array([0, 255, 10, 20, 30, 40, 50, 60])));
  writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), encodeIdxUint8([2], new Uint8Array([3, 7])));
}

beforeAll(() => {
  process.env[DATA_ENV_VAR] = join(root, 'data');
  // An empty cache, so only the fixture folders (and /usr/share/datasets) can be found.
  process.env.XDG_CACHE_HOME = join(root, 'cache');
  writeIdxSplit(join(root, 'data', 'mnist'), 'train');
  writeIdxSplit(join(root, 'data', 'mnist'), 't10k');
  mkdirSync(join(root, 'data', 'ood', 'LSUN_resize'), { recursive: true });
  // Only sizes are checked by list, so any non-empty bytes stand in for an image here.
  writeFileSync(join(root, 'data', 'ood', 'LSUN_resize', '0.png'), 'not empty');
  mkdirSync(join(root, 'data', 'ood', 'iSUN'), { recursive: true });
  mkdirSync(join(root, 'data', 'ood', 'LSUN', 'test'), { recursive: true });
  writeFileSync(join(root, 'data', 'ood', 'LSUN', 'test', '0.jpg'), 'not empty');
  writeFileSync(join(root, 'data', 'ood', 'LSUN', 'test', '1.jpg'), '');
  mkdirSync(join(root, 'data', 'cifar-100', 'cifar-100-binary'), { recursive: true });
  writeFileSync(join(root, 'data', 'cifar-100', 'cifar-100-binary', 'test.bin'), '');
  for (const category of MVTEC_CATEGORIES.slice(0, 2))
    mkdirSync(join(root, 'data', 'mvtec-ad', category, 'train', 'good'), { recursive: true });
});

afterAll(() => {
  for (const [key, value] of [
    [DATA_ENV_VAR, saved.data],
    ['XDG_CACHE_HOME', saved.xdg],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  rmSync(root, { recursive: true, force: true });
});

describe('localStatus', () => {
  test('finds what the readers would read, where they would read it', async () => {
    const status = localStatus('mnist');
    expect(status).toEqual({ state: 'found', detail: join(root, 'data', 'mnist') });
    // The reader agrees: it reads the fixture from the same folder.
    const set = await mnist({ split: 'train' });
    expect(set.source).toBe(join(root, 'data', 'mnist', 'train-images-idx3-ubyte'));
    expect(Array.from(set.labels)).toEqual([3, 7]);
    expect(localStatus('LSUNr')).toEqual({ state: 'found', detail: join(root, 'data', 'ood', 'LSUN_resize') });
  });

  test('an image folder with no images, or with an empty image file, is incomplete, not found (issue 12, defect 10)', () => {
    const isun = join(root, 'data', 'ood', 'iSUN');
    expect(localStatus('iSUN')).toEqual({ state: 'incomplete', detail: `incomplete: ${isun} holds no image files`, dir: isun });
    const lsun = join(root, 'data', 'ood', 'LSUN');
    expect(localStatus('LSUNc')).toEqual({
      state: 'incomplete',
      detail: `incomplete: ${lsun} holds an empty image file ${join(lsun, 'test', '1.jpg')}`,
      dir: lsun,
    });
  });

  test('reports missing and partial data', () => {
    expect(localStatus('TINc').state).toBe('missing');
    expect(localStatus('cifar-10').state).toBe('missing');
    // train.bin is missing: the reader refuses the folder, so list must not call it found or missing
    const cifar100 = join(root, 'data', 'cifar-100', 'cifar-100-binary');
    expect(localStatus('cifar-100')).toEqual({ state: 'incomplete', detail: `incomplete: ${cifar100} lacks train.bin`, dir: cifar100 });
    expect(localStatus('mvtec-ad')).toEqual({
      state: 'partial',
      detail: `2 of ${MVTEC_CATEGORIES.length} categories in ${join(root, 'data', 'mvtec-ad')}`,
    });
    expect(localStatus('street-hazards').state).toBe('missing');
  });

  test('an empty or truncated file makes the dataset incomplete, naming the file (issue 12, defect 10)', () => {
    const other = mkdtempSync(join(tmpdir(), 'curvad-cli-data-'));
    const saved = process.env[DATA_ENV_VAR];
    process.env[DATA_ENV_VAR] = other;
    try {
      writeIdxSplit(join(other, 'fashion-mnist'), 'train');
      writeIdxSplit(join(other, 'fashion-mnist'), 't10k');
      expect(localStatus('fashion-mnist')).toEqual({ state: 'found', detail: join(other, 'fashion-mnist') });
      writeFileSync(join(other, 'fashion-mnist', 't10k-labels-idx1-ubyte'), '');
      expect(localStatus('fashion-mnist')).toEqual({
        state: 'incomplete',
        detail: `incomplete: ${join(other, 'fashion-mnist', 't10k-labels-idx1-ubyte')} is empty`,
        dir: join(other, 'fashion-mnist'),
      });
      writeFileSync(join(other, 'fashion-mnist', 't10k-labels-idx1-ubyte'), encodeIdxUint8([2], new Uint8Array([3, 7])).subarray(0, 9));
      expect(localStatus('fashion-mnist').detail).toMatch(/t10k-labels-idx1-ubyte is truncated or corrupt/);
      const { subfolder, train, test } = CIFAR_FILES['cifar-10'];
      const cifar = join(other, 'cifar-10', subfolder);
      mkdirSync(cifar, { recursive: true });
      for (const f of [...train, ...test]) writeFileSync(join(cifar, f), new Uint8Array(3073));
      expect(localStatus('cifar-10')).toEqual({ state: 'found', detail: cifar });
      writeFileSync(join(cifar, train[2]), '');
      expect(localStatus('cifar-10')).toEqual({ state: 'incomplete', detail: `incomplete: ${join(cifar, train[2])} is empty`, dir: cifar });
    } finally {
      process.env[DATA_ENV_VAR] = saved;
      rmSync(other, { recursive: true, force: true });
    }
  });

  test("image-folder datasets are found by their readers' locate functions: a folder lacking a split is partial, naming it", () => {
    const other = mkdtempSync(join(tmpdir(), 'curvad-cli-data-'));
    const saved = process.env[DATA_ENV_VAR];
    process.env[DATA_ENV_VAR] = other;
    try {
      const tiny = join(other, 'tiny-imagenet', 'tiny-imagenet-200');
      for (const split of ['train', 'val']) {
        mkdirSync(join(tiny, split, 'images'), { recursive: true });
        writeFileSync(join(tiny, split, 'images', '0.JPEG'), 'not empty');
      }
      expect(localStatus('tiny-imagenet')).toEqual({ state: 'partial', detail: `${tiny} lacks test/` });
      mkdirSync(join(tiny, 'test', 'images'), { recursive: true });
      writeFileSync(join(tiny, 'test', 'images', '0.JPEG'), 'not empty');
      expect(localStatus('tiny-imagenet')).toEqual({ state: 'found', detail: tiny });
      const hazards = join(other, 'street-hazards', 'streethazards');
      mkdirSync(join(hazards, 'test', 'images', 'test'), { recursive: true });
      expect(localStatus('street-hazards')).toEqual({
        state: 'partial',
        detail: `${hazards} lacks ${join('train', 'images', 'training')}/, ${join('train', 'images', 'validation')}/`,
      });
    } finally {
      process.env[DATA_ENV_VAR] = saved;
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('answers for every dataset fetchDataset knows', () => {
    for (const name of listFetchableDatasets()) expect(['found', 'partial', 'missing', 'incomplete']).toContain(localStatus(name).state);
  });
});
