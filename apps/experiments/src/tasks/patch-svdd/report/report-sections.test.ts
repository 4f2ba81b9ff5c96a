import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auroc } from '@curvad/metrics';
import { initBackend } from '@curvad/runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readSavedScores, readScoreIndex, trialScoresDir } from '../../../core/artifacts/saved-scores';
import { saveScores } from '../../../core/artifacts/score-files';
import { decodePngDataUri } from '../../../core/report/decode-png';
import { HEATMAP_ANCHORS, heatmapColor, heatmapRgb, scoreRange } from '../../../core/report/heatmap';
import type { ResultsFile } from '../../../core/results/results-file';
import { parsePatchSvddConfig, withConfigDefaults } from '../config/patch-svdd-config';
import { type DefectTestSet, loadPatchSvddData } from '../data/load-data';
import { runPatchSvddExperiment } from '../run-patch-svdd-experiment';
import { ANOMALY_MAPS_SET } from '../run-unit';
import { TINY_PATCH_SVDD } from '../test-support';
import { reportImageOrder } from './defect-heatmaps';
import { imageRowId, MASK_ON } from './defect-heatmaps-html';
import { CONTOUR_RGB, maskContour } from './mask-contour';
import { DEFECT_HEATMAPS_SECTION, patchSvddReportSections, patchSvddReportSectionsWith } from './report-sections';

// A tiny real run (64x64 images, 4 test images, baseline and MiT, both scorings: 4 rows), then its
// report.html as the run wrote it. The loader regenerates the run's test images from the config.
const config = parsePatchSvddConfig({ ...TINY_PATCH_SVDD, reportImages: 3 });
const CATEGORY = 'class-1';
const SIDE = 64;
const PIXELS = SIDE * SIDE;
/** Per row of an image: the image, the mask, the outline, then one heatmap per table row. */
const FIXED_FIGURES = 3;

let root: string;
let results: ResultsFile;
let html: string;
let test0: DefectTestSet;
let rows: string[];

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
  root = await mkdtemp(join(tmpdir(), 'curvad-patch-svdd-report-'));
  const run = await runPatchSvddExperiment({ config, outDir: join(root, 'run'), command: 'test', backend: 'wasm', quick: true });
  results = run.results;
  html = await readFile(join(root, 'run', 'report.html'), 'utf8');
  test0 = (await loadPatchSvddData(config, CATEGORY)).test;
  rows = results.configurations[0]!.trials[0]!.methods.map((m) => m.method);
}, 60_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The html of one image's row (the figures up to the row's closing div). */
function rowHtml(page: string, index: number): string {
  const at = page.indexOf(`id="${imageRowId(CATEGORY, index)}"`);
  expect(at).toBeGreaterThan(0);
  return page.slice(at).split('</div>')[0]!;
}

/** Every image of a row, in order, as [alt text, data URI]. */
function figures(row: string): [string, string][] {
  return [...row.matchAll(/<img src="([^"]+)"[^>]* alt="([^"]*)">/g)].map((m) => [m[2]!, m[1]!]);
}

async function savedMaps(dir: string, method: string): Promise<Float32Array> {
  const index = (await readScoreIndex(dir))!;
  return (await readSavedScores(dir, method, index[method]!))[0]!.scores;
}

function sectionOf(page: string): string {
  return page.slice(page.indexOf(`<section id="${DEFECT_HEATMAPS_SECTION.id}">`), page.indexOf('<section id="configuration'));
}

describe('the patch-svdd report section: defect masks and anomaly heatmaps (anomalib-style)', () => {
  test('the run writes one row per chosen image, defective first, each the image, mask, outline and one heatmap per table row', () => {
    expect(rows).toEqual(['baseline', 'baseline (Patch-SVDD scoring)', 'MiT', 'MiT (Patch-SVDD scoring)']);
    const order = ['id="provenance"', `<section id="${DEFECT_HEATMAPS_SECTION.id}">`, '<section id="configuration'];
    const at = order.map((s) => html.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(html).toContain(`<li><a href="#${DEFECT_HEATMAPS_SECTION.id}">${DEFECT_HEATMAPS_SECTION.title}</a></li>`);
    const defective = Array.from(test0.defective);
    // The tiny benchmark holds both kinds, so the order shows: every defective image, then a defect-free one.
    const withDefect = defective.flatMap((d, i) => (d ? [i] : []));
    expect(withDefect.length).toBeGreaterThan(0);
    expect(withDefect.length).toBeLessThan(3);
    const chosen = reportImageOrder(test0.defective, 3);
    expect(chosen.slice(0, withDefect.length)).toEqual(withDefect);
    expect(chosen.slice(withDefect.length).every((i) => !defective[i])).toBe(true);
    const section = sectionOf(html);
    expect(section.match(/class="heatmap-row"/g)).toHaveLength(3);
    // The rows appear in that order.
    const positions = chosen.map((i) => section.indexOf(`id="${imageRowId(CATEGORY, i)}"`));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const i of chosen) {
      const row = rowHtml(section, i);
      const images = figures(row);
      expect(images).toHaveLength(FIXED_FIGURES + rows.length);
      expect(images.slice(FIXED_FIGURES).map(([alt]) => alt.split(' anomaly heatmap')[0])).toEqual(rows);
      expect(row).toContain(defective[i] ? 'with a defect' : 'defect-free');
      for (const [, uri] of images) expect(decodePngDataUri(uri)).toMatchObject({ width: SIDE, height: SIDE });
    }
  });

  test("a heatmap's pixels are its saved map through the colour map, normalized over the method's maps of every test image", async () => {
    const dir = trialScoresDir(join(root, 'run'), CATEGORY, 0);
    const section = sectionOf(html);
    for (const [k, method] of rows.entries()) {
      const maps = await savedMaps(dir, method);
      expect(maps.length).toBe(4 * PIXELS);
      // Over all 4 test images, not only the 3 shown.
      const range = scoreRange([maps]);
      for (const i of reportImageOrder(test0.defective, 3)) {
        const map = maps.subarray(i * PIXELS, (i + 1) * PIXELS);
        const [alt, uri] = figures(rowHtml(section, i))[FIXED_FIGURES + k]!;
        const drawn = decodePngDataUri(uri);
        expect(drawn.channels).toBe(3);
        expect(Buffer.from(drawn.pixels).equals(Buffer.from(heatmapRgb(map, range)))).toBe(true);
        const mask = test0.masks.subarray(i * PIXELS, (i + 1) * PIXELS);
        if (test0.defective[i]) expect(alt).toContain(`pixel AUROC ${(100 * auroc(map, mask)).toFixed(1)}, max`);
        else expect(alt).not.toContain('AUROC');
      }
    }
  });

  test('known maps give known colours: image i all at score i over a range of every test image, a NaN pixel at the normal end', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'curvad-patch-svdd-report-known-'));
    try {
      const maps = Float32Array.from({ length: 4 * PIXELS }, (_, p) => Math.floor(p / PIXELS));
      maps[PIXELS + 5] = Number.NaN;
      for (const method of rows) await saveScores(dir, CATEGORY, 0, method, [{ set: ANOMALY_MAPS_SET, scores: maps }]);
      const [section] = await patchSvddReportSections(results, { resultsDir: dir });
      const shown = reportImageOrder(test0.defective, 3);
      // Image 3, the highest, is not shown: the range still reaches it (over the category, not the images shown).
      expect(shown).not.toContain(3);
      for (const i of shown) {
        const drawn = decodePngDataUri(figures(rowHtml(section!.html, i))[FIXED_FIGURES]![1]).pixels;
        // Range [0, 3] over the category: image i is at i / 3 of the colour map.
        const expected = heatmapColor(i / 3);
        for (let p = 0; p < PIXELS; p++) {
          const colour = i === 1 && p === 5 ? [...HEATMAP_ANCHORS[0]!] : expected;
          expect([drawn[3 * p], drawn[3 * p + 1], drawn[3 * p + 2]]).toEqual(colour);
        }
      }
      expect(section!.html).toContain('<li>baseline: 0.00 to 3.00</li>');
      // Image 1 (with a defect in the tiny benchmark) has no AUROC for its NaN: the caption says why.
      expect(test0.defective[1]).toBe(1);
      expect(section!.html).toContain('baseline<br>1 non-finite scores, max 1.00</figcaption>');
      expect(section!.html).toContain('normalized over its maps of all 4 test images of class-1');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("the image and mask figures are the test image's pixels and its mask; the outline marks the mask's boundary in red", () => {
    const section = sectionOf(html);
    for (const i of reportImageOrder(test0.defective, 3)) {
      const [image, mask, outline] = figures(rowHtml(section, i)).map(([, uri]) => decodePngDataUri(uri));
      const pixels = test0.images.images.subarray(i * PIXELS, (i + 1) * PIXELS);
      const truth = test0.masks.subarray(i * PIXELS, (i + 1) * PIXELS);
      expect(image!.channels).toBe(1);
      expect(Buffer.from(image!.pixels).equals(Buffer.from(pixels))).toBe(true);
      expect(Array.from(mask!.pixels)).toEqual(Array.from(truth, (m) => (m ? MASK_ON : 0)));
      expect(truth.some((m) => m)).toBe(Boolean(test0.defective[i]));
      const contour = maskContour(truth, SIDE, SIDE);
      for (let p = 0; p < PIXELS; p++) {
        const rgb = Array.from(outline!.pixels.subarray(3 * p, 3 * p + 3));
        expect(rgb).toEqual(contour[p] ? [...CONTOUR_RGB] : [pixels[p]!, pixels[p]!, pixels[p]!]);
      }
    }
  });

  test('no score files, no completed trial, a damaged or mis-sized file, unloadable images: a note each, never an error', async () => {
    const empty = join(root, 'no-scores');
    const [missing] = await patchSvddReportSections(results, { resultsDir: empty });
    expect(missing!.html).toContain(
      `class-1: trial 0 saved no anomaly maps (no ${trialScoresDir(empty, CATEGORY, 0)}/index.json; was it run without saving scores?), so no heatmaps.`,
    );
    expect(missing!.html).not.toContain('class="heatmap-row"');

    const failed: ResultsFile = {
      ...results,
      configurations: results.configurations.map((c) => ({ ...c, trials: c.trials.map((t) => ({ ...t, status: 'failed' as const })) })),
    };
    const [none] = await patchSvddReportSections(failed, { resultsDir: join(root, 'run') });
    expect(none!.html).toContain('class-1: no completed trial, so no heatmaps.');

    const dir = await mkdtemp(join(tmpdir(), 'curvad-patch-svdd-report-bad-'));
    try {
      const good = new Float32Array(4 * PIXELS).fill(1);
      await saveScores(dir, CATEGORY, 0, rows[0]!, [{ set: ANOMALY_MAPS_SET, scores: good }]);
      await saveScores(dir, CATEGORY, 0, rows[1]!, [{ set: ANOMALY_MAPS_SET, scores: good.subarray(1) }]);
      await saveScores(dir, CATEGORY, 0, rows[2]!, [{ set: ANOMALY_MAPS_SET, scores: good }]);
      // rows[3] saved nothing; rows[2]'s file is then cut short behind its index's back.
      const trialDir = trialScoresDir(dir, CATEGORY, 0);
      const index = (await readScoreIndex(trialDir))!;
      await writeFile(join(trialDir, index[rows[2]!]!.file), new Uint8Array(8));
      const [partial] = await patchSvddReportSections(results, { resultsDir: dir });
      expect(partial!.html).toContain(`class-1: no saved anomaly maps for ${rows[3]} in trial 0.`);
      expect(partial!.html).toMatch(
        /class-1: baseline \(Patch-SVDD scoring\)'s saved scores \(anomaly maps 16383\) are not one 'anomaly maps' set of 4 x 64 x 64 = 16384 pixels/,
      );
      expect(partial!.html).toMatch(/class-1: MiT not shown \(.* has 8 bytes; its index\.json lists 16384 scores/);
      // The usable row is still drawn: one heatmap an image.
      for (const i of reportImageOrder(test0.defective, 3)) expect(figures(rowHtml(partial!.html, i))).toHaveLength(FIXED_FIGURES + 1);

      const broken = patchSvddReportSectionsWith({
        loadTestSet: async () => {
          throw new Error('no Fashion-MNIST here');
        },
      });
      const [unloadable] = await broken(results, { resultsDir: dir });
      expect(unloadable!.html).toContain('class-1: the test images could not be loaded, so no heatmaps (no Fashion-MNIST here).');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('reportImages: an old config without it reads as 3; 0 leaves the section out; a config of another task gets none', async () => {
    const { reportImages: _, ...old } = config;
    expect(withConfigDefaults(old)).toMatchObject({ reportImages: 3 });
    const off = { ...results, config: { ...config, reportImages: 0 } };
    expect(await patchSvddReportSections(off, { resultsDir: join(root, 'run') })).toEqual([]);
    expect(await patchSvddReportSections({ ...results, config: { name: 'other' } }, { resultsDir: join(root, 'run') })).toEqual([]);
  });
});
