// StreetHazards through the task's own loader: small fixture files in the official layout of the
// extracted archives (train/images/training/t1-3, train/images/validation/t4, test/images/test/t5|t6,
// annotations beside them: one-channel PNGs of class id + 1), then a tiny run on them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { STREET_HAZARDS_CLASS_NAMES } from '@curvad/datasets';
import { initBackend } from '@curvad/runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodePng, pngDataUri } from '../../../core/report/png';
import { parseSegmentationConfig, type SegmentationConfigInput } from '../config/segmentation-config';
import { runSegmentationExperiment } from '../run-segmentation-experiment';
import { PER_IMAGE_SET } from '../score/pixel-protocol';
import { segmentationTask } from '../task';
import { IGNORE_LABEL, loadSegmentationData, loadSegmentationTestScenes } from './load-data';

const [H, W] = [8, 16];
/** Stored annotation values (zero-based id + 1): unlabeled, road, car, traffic sign, anomaly. */
const STORED = { unlabeled: 1, road: 8, car: 11, sign: 13, anomaly: 14 };

/** A scene's RGB pixels, distinct per scene and channel. */
function sceneImage(seed: number): Uint8Array {
  return Uint8Array.from({ length: H * W * 3 }, (_, i) => (seed * 41 + i * 7) % 256);
}

/** Road everywhere, a car in the top-left 4x4, a sign in row 7, unlabeled in column 15, and the given anomaly pixels. */
function annotation(anomalyPixels: readonly number[]): Uint8Array {
  const a = new Uint8Array(H * W).fill(STORED.road);
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) a[y * W + x] = STORED.car;
  for (let x = 0; x < W; x++) a[7 * W + x] = STORED.sign;
  for (let y = 0; y < H; y++) a[y * W + 15] = STORED.unlabeled;
  for (const p of anomalyPixels) a[p] = STORED.anomaly;
  return a;
}

function writePng(path: string, pixels: Uint8Array, channels: 1 | 3): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodePng(pixels, W, H, channels));
}

function writeScene(root: string, folder: string, name: string, seed: number, anomalyPixels: readonly number[] = []): void {
  const [top, sub] = folder.split('/') as [string, string];
  const [split, town] = sub.split(':') as [string, string];
  writePng(join(root, top, 'images', split, town, name), sceneImage(seed), 3);
  writePng(join(root, top, 'annotations', split, town, name), annotation(anomalyPixels), 1);
}

/** The anomaly of test scene t5/300.png: a 3x3 block at rows 3-5, columns 8-10. */
const ANOMALY = [3, 4, 5].flatMap((y) => [8, 9, 10].map((x) => y * W + x));

let root: string;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
  root = await mkdtemp(join(tmpdir(), 'curvad-streethazards-'));
  writeScene(root, 'train/training:t1', 'a.png', 1);
  writeScene(root, 'train/training:t2', 'b.png', 2);
  writeScene(root, 'train/training:t3', 'c.png', 3);
  writeScene(root, 'train/validation:t4', 'v.png', 4);
  writeScene(root, 'test/test:t5', '300.png', 5, ANOMALY);
  writeScene(root, 'test/test:t6', '000.png', 6);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const input = (extra: Partial<SegmentationConfigInput> = {}): SegmentationConfigInput => ({
  name: 'tiny-streethazards',
  dataset: 'streethazards',
  streetHazards: { dir: root, size: [H, W] },
  unet: { depth: 1, width: 4, embeddingDim: 8 },
  models: ['baseline', 'HiT'],
  divergenceDirection: 'released',
  epochs: 1,
  batchSize: 2,
  trials: 1,
  seed: 0,
  reportScenes: 2,
  ...extra,
});

describe('StreetHazards through the segmentation loader (official layout fixture)', () => {
  test('12 known classes (ids 1..12 -> 0..11), unlabeled and anomalous pixels ignored, the anomaly class the mask', async () => {
    const data = await loadSegmentationData(parseSegmentationConfig(input()));
    expect(data.classes).toBe(12);
    expect(data.classNames).toEqual(STREET_HAZARDS_CLASS_NAMES.slice(1, 13));
    expect(data.classNames[0]).toBe('building');
    // The training split is train/images/training (t1-t3), not validation; the test split test/images/test.
    expect(data.train.images.shape).toEqual([3, H, W, 3]);
    expect(data.test.images.shape).toEqual([2, H, W, 3]);
    expect(Array.from(data.train.images.images.subarray(0, H * W * 3))).toEqual(Array.from(sceneImage(1)));
    expect(Array.from(data.test.images.images.subarray(0, H * W * 3))).toEqual(Array.from(sceneImage(5)));
    // Labels pixel by pixel: road (id 7) -> 6, car (10) -> 9, traffic sign (12) -> 11, unlabeled and anomaly -> ignored.
    const expected = (anomalyPixels: readonly number[]) =>
      Array.from(annotation(anomalyPixels), (stored) =>
        stored === STORED.unlabeled || stored === STORED.anomaly ? IGNORE_LABEL : stored - 2,
      );
    expect(Array.from(data.train.labels.subarray(0, H * W))).toEqual(expected([]));
    expect(Array.from(data.test.labels.subarray(0, H * W))).toEqual(expected(ANOMALY));
    expect(Array.from(data.test.labels.subarray(H * W))).toEqual(expected([]));
    expect(new Set(data.train.labels)).toEqual(new Set([6, 9, 11, IGNORE_LABEL]));
    // The mask: exactly the anomaly pixels of t5/300.png; none in t6 nor in any training scene.
    const mask = Array.from(data.test.masks.subarray(0, H * W)).flatMap((m, p) => (m ? [p] : []));
    expect(mask).toEqual(ANOMALY);
    expect(data.test.masks.subarray(H * W).every((m) => m === 0)).toBe(true);
    expect(data.train.masks.every((m) => m === 0)).toBe(true);
    expect(data.files.train!.length).toBeGreaterThan(0);
    expect(data.files.test!.length).toBeGreaterThan(0);
    // The report's loader reads the same test scenes.
    const test = await loadSegmentationTestScenes(parseSegmentationConfig(input()));
    expect(Buffer.from(test.images.images).equals(Buffer.from(data.test.images.images))).toBe(true);
    expect(Buffer.from(test.labels).equals(Buffer.from(data.test.labels))).toBe(true);
    expect(Buffer.from(test.masks).equals(Buffer.from(data.test.masks))).toBe(true);
    // streetHazards.train / .test limit the scenes read.
    const limited = await loadSegmentationData(
      parseSegmentationConfig(input({ streetHazards: { dir: root, size: [H, W], train: 2, test: 1 } })),
    );
    expect([limited.train.images.shape[0], limited.test.images.shape[0]]).toEqual([2, 1]);
    const loaded = await segmentationTask.loadData(parseSegmentationConfig(input()), 'scenes');
    expect(loaded.description).toBe(
      `3 training scenes and 2 test scenes of ${H}x${W}, 12 known classes; ${ANOMALY.length} anomalous test pixels`,
    );
  });

  test('a tiny run on the fixture: the per-image protocol over the one scene with an anomaly, mIoU, report heatmaps in colour', async () => {
    const outDir = join(root, 'run');
    const config = parseSegmentationConfig(input());
    const { results, interrupted } = await runSegmentationExperiment({ config, outDir, command: 'test', backend: 'wasm' });
    expect(interrupted).toBe(false);
    const trial = results.configurations[0]!.trials[0]!;
    expect(trial.status).toBe('completed');
    expect(trial.methods.map((m) => m.method)).toEqual(['MSP', 'MaxLogit', 'HiT']);
    for (const m of trial.methods) expect(m.perOod[PER_IMAGE_SET]!.auroc).toBeGreaterThanOrEqual(0);
    expect(Object.keys(trial.idAccuracy).sort()).toEqual(['HiT', 'baseline']);
    const html = await readFile(join(outDir, 'report.html'), 'utf8');
    // Scene 1 (t6) holds no anomaly: only scene 0 is shown, in RGB (the scene is not drawn as grey).
    expect(html).toContain('id="heatmap-scene-0"');
    expect(html).not.toContain('id="heatmap-scene-1"');
    expect(html).toContain('HiT anomaly heatmap of scene 0, per-image AUROC');
    expect(html).toContain(pngDataUri(sceneImage(5), W, H, 3));
  });
});
