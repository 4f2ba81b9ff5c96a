import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { ImageSet } from '@curvad/datasets';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { saveScores } from '../../../core/artifacts/score-files';
import { parseOneClassConfig } from '../config/one-class-config';
import { ANOMALOUS_SET } from '../data/load-data';
import { NORMAL_SET } from '../score/score-model';
import { classExamples, exampleImagesHtml, exampleMethods, type TestImages } from './example-images';
import { extremeRows } from './extreme-scores';
import { oneClassResults, TINY_CONFIG } from './test-support';

const SIDE = 4;
const NORMAL = 5;
const ANOMALOUS = 9;

/** 4x4 grey images whose every pixel is the image's row in the scored order (normal rows first), so a PNG tells which image it shows. */
function fakeSet(first: number, labels: number[]): ImageSet {
  const images = new Uint8Array(labels.length * SIDE * SIDE);
  for (let i = 0; i < labels.length; i++) images.fill(first + i, i * SIDE * SIDE, (i + 1) * SIDE * SIDE);
  return { images, labels: Uint8Array.from(labels), shape: [labels.length, SIDE, SIDE, 1] };
}

const images: TestImages = {
  normal: fakeSet(0, Array(NORMAL).fill(0)),
  anomalous: fakeSet(
    NORMAL,
    Array.from({ length: ANOMALOUS }, (_, i) => 1 + (i % 9)),
  ),
};
const loadTestImages = async () => images;

/** The row a PNG data URI shows (every pixel holds it): IDAT inflated by node:zlib, first pixel after the filter byte. */
function rowShown(src: string): number {
  const png = Buffer.from(src.split(',')[1]!, 'base64');
  const at = png.indexOf('IDAT');
  const length = png.readUInt32BE(at - 4);
  const raw = inflateSync(png.subarray(at + 4, at + 4 + length));
  const pixels = [...raw].filter((_, i) => i % (SIDE + 1) !== 0);
  expect(new Set(pixels).size).toBe(1);
  return pixels[0]!;
}

// Trial 0's scores (the ones shown); trial 1's rank the other way, so showing the wrong trial fails.
const SCORES: Record<string, number[]> = {
  RotNet: [0.3, 0.1, 0.2, 0.25, 0.05, 0.9, 0.4, 0.95, 0.2, 0.7, 0.8, 0.15, 0.6, 0.35],
  'RotNet +SiT': [5, 1, 2, 8, 3, 9, 4, 7, 6, 0.5, 11, 10, 12, 13],
};

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'curvad-examples-'));
  for (const trial of [0, 1]) {
    for (const [method, values] of Object.entries(SCORES)) {
      const scores = Float32Array.from(trial === 0 ? values : values.map((v) => -v));
      await saveScores(root, 'class-0', trial, method, [
        { set: NORMAL_SET, scores: scores.subarray(0, NORMAL) },
        { set: ANOMALOUS_SET, scores: scores.subarray(NORMAL) },
      ]);
    }
  }
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const results = oneClassResults({ ...TINY_CONFIG, normalClasses: [0] }, [
  [
    { RotNet: 0.8, 'RotNet (released)': 0.9, 'RotNet +SiT': 0.7, 'RotNet +MiT': 0.6 },
    { RotNet: 0.8, 'RotNet (released)': 0.9, 'RotNet +SiT': 0.75, 'RotNet +MiT': 0.65 },
  ],
]);
const config = parseOneClassConfig({ ...TINY_CONFIG, normalClasses: [0] });

/** Independent of extremeRows: every row sorted by its score. */
function byScore(values: number[]): number[] {
  return values
    .map((score, row) => ({ score, row }))
    .sort((a, b) => a.score - b.score)
    .map((e) => e.row);
}

describe('example images', () => {
  test('the images shown are the argmax / argmin of the saved scores of the first trial, with class and normal / anomalous', async () => {
    const examples = await classExamples(root, config, results.configurations[0]!, 0, ['RotNet', 'RotNet +SiT'], 3, loadTestImages);
    expect(examples.notes).toEqual([]);
    expect(examples.trial).toBe(0);
    for (const row of examples.rows) {
      const order = byScore(SCORES[row.method]!);
      expect(row.highest.map((image) => image.row)).toEqual(order.slice(-3).reverse());
      expect(row.lowest.map((image) => image.row)).toEqual(order.slice(0, 3));
      for (const image of [...row.highest, ...row.lowest]) {
        expect(rowShown(image.src)).toBe(image.row);
        expect(image.score).toBe(Math.fround(SCORES[row.method]![image.row]!));
        expect(image.normal).toBe(image.row < NORMAL);
        expect(image.label).toBe(image.row < NORMAL ? 0 : 1 + ((image.row - NORMAL) % 9));
      }
    }
    // RotNet: highest 0.95 (row 7, anomalous digit 3), 0.9 (row 5), 0.8 (row 10); lowest 0.05 (row 4, normal).
    expect(examples.rows[0]!.highest.map((i) => i.row)).toEqual([7, 5, 10]);
    expect(examples.rows[0]!.lowest.map((i) => i.row)).toEqual([4, 1, 11]);
  });

  test('extremeRows: ties go to the lower row, NaN is skipped, k larger than the data gives every row', () => {
    expect(extremeRows([1, 3, 3, Number.NaN, 0, 1], 2)).toEqual({ highest: [1, 2], lowest: [4, 0] });
    expect(extremeRows([2, 1], 5)).toEqual({ highest: [0, 1], lowest: [1, 0] });
  });

  test('default rows: the plain RotNet (and CSI) rows and the GiT row with the best mean AUROC', () => {
    expect(exampleMethods(results)).toEqual(['RotNet', 'RotNet +SiT']);
    const withCsi = oneClassResults({ ...TINY_CONFIG, normalClasses: [0] }, [
      [{ RotNet: 0.8, CSI: 0.9, 'RotNet +SiT': 0.7, 'CSI +MiT': 0.95 }],
    ]);
    expect(exampleMethods(withCsi)).toEqual(['RotNet', 'CSI', 'CSI +MiT']);
  });

  test('the HTML names each image class and kind; with no scores/ folder it says so in one sentence', async () => {
    const html = await exampleImagesHtml(results, config, root, { loadTestImages, perEnd: 2 });
    expect(html).toContain('<h3>class-0: normal class digit 0 (trial 0)</h3>');
    expect(html).toContain('<h4>RotNet +SiT: 2 highest scores (most anomalous first)</h4>');
    expect(html).toContain('alt="3 (anomalous), score 0.950"');
    expect(html.match(/<img /g)).toHaveLength(8);
    const missing = await exampleImagesHtml(results, config, join(root, 'elsewhere'), { loadTestImages });
    expect(missing).toBe(
      `<p class="missing">No example images: the run saved no raw scores (no folder ${join(root, 'elsewhere', 'scores')}; runs save them unless scores are turned off).</p>`,
    );
  });

  test('scores that do not match the loaded test images are reported, not drawn; a failed load is reported', async () => {
    const fewer: TestImages = { normal: images.normal, anomalous: fakeSet(NORMAL, [1, 2]) };
    const examples = await classExamples(root, config, results.configurations[0]!, 0, ['RotNet'], 3, async () => fewer);
    expect(examples.rows).toEqual([]);
    expect(examples.notes[0]).toMatch(
      /RotNet: the saved scores \(ID 5, other classes 9\) do not match the test images the config loads \(5 normal, 2 anomalous\)/,
    );
    const failed = await classExamples(root, config, results.configurations[0]!, 0, ['RotNet', 'CSI'], 3, async () => {
      throw new Error('no MNIST here');
    });
    expect(failed.notes).toEqual([
      'No saved scores for CSI in trial 0.',
      'The test images could not be loaded, so no example images (no MNIST here).',
    ]);
  });
});
