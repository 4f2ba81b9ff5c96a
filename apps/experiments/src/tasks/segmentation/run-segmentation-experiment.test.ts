import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auroc } from '@curvad/metrics';
import { initBackend } from '@curvad/runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ResultsFile, resultsFileSchema } from '../../core/results/results-file';
import { writeReport } from '../../write-task-report';
import { parseSegmentationConfig } from './config/segmentation-config';
import { loadSegmentationData } from './data/load-data';
import { type RunSegmentationOptions, runSegmentationExperiment, TABLE_VII_FILE } from './run-segmentation-experiment';
import { SCORE_MAPS_SET } from './run-unit';
import { PER_IMAGE_SET, POOLED_SET, pixelMetricSets } from './score/pixel-protocol';
import { TINY_SEGMENTATION } from './test-support';

let root: string;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
  root = await mkdtemp(join(tmpdir(), 'curvad-segmentation-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const config = parseSegmentationConfig(TINY_SEGMENTATION);

function base(outDir: string): RunSegmentationOptions {
  return { config, outDir, command: 'test', backend: 'wasm', quick: true };
}

function comparable(results: ResultsFile) {
  const stored = JSON.parse(JSON.stringify(results)) as ResultsFile;
  return stored.configurations.map((c) => c.trials.map((t) => ({ status: t.status, methods: t.methods, idAccuracy: t.idAccuracy })));
}

async function savedMaps(outDir: string, method: string): Promise<Float32Array> {
  const dir = join(outDir, 'scores', 'scenes', 'trial-0');
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
  const entry = index[method] as { file: string; sets: { set: string; count: number }[] };
  expect(entry.sets.map((s) => s.set)).toEqual([SCORE_MAPS_SET]);
  const bytes = await readFile(join(dir, entry.file));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

describe('runSegmentationExperiment', () => {
  test('saved score maps reproduce every metric of results.json; Table VII holds every row and the mIoU', async () => {
    const outDir = join(root, 'full');
    const { results, interrupted, markdown } = await runSegmentationExperiment(base(outDir));
    expect(interrupted).toBe(false);
    const onDisk = resultsFileSchema.parse(JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')));
    expect(onDisk.complete).toBe(true);
    const trial = onDisk.configurations[0]!.trials[0]!;
    expect(trial.status).toBe('completed');
    expect(trial.methods.map((m) => m.method)).toEqual(['MSP', 'MaxLogit', 'MiT', 'MiT (text: 1 - tanh z)']);
    const data = await loadSegmentationData(config);
    const shape = [6, 64, 64] as [number, number, number];
    for (const m of trial.methods) {
      const maps = await savedMaps(outDir, m.method);
      expect(maps.length).toBe(6 * 64 * 64);
      expect(m.perOod).toEqual(pixelMetricSets({ maps, masks: data.test.masks, shape }));
    }
    const mit = trial.methods.find((m) => m.method === 'MiT')!.perOod[POOLED_SET]!.auroc;
    const mitText = trial.methods.find((m) => m.method === 'MiT (text: 1 - tanh z)')!.perOod[POOLED_SET]!.auroc;
    expect(mit + mitText).toBeCloseTo(1, 12);
    for (const miou of Object.values(trial.idAccuracy)) expect(miou).toBeGreaterThan(0);
    const table = await readFile(join(outDir, TABLE_VII_FILE), 'utf8');
    const msp = trial.methods.find((m) => m.method === 'MSP')!.perOod[PER_IMAGE_SET]!;
    const row = `| MSP | ${[msp.fpr95, msp.auroc, msp.auprOut].map((v) => (100 * v).toFixed(1)).join(' | ')} |`;
    expect(table).toContain(row);
    expect(table).toContain(`${(100 * trial.idAccuracy.baseline!).toFixed(1)} |`);
    expect(markdown.startsWith('# tiny-segmentation: Table VII')).toBe(true);
    // report.html, as the run wrote it: the first reportScenes (4) test scenes, every row's heatmap
    // captioned with its AUROC on that scene, recomputed here from the saved maps and regenerated masks.
    const html = await readFile(join(outDir, 'report.html'), 'utf8');
    expect(html).toContain('<section id="scene-heatmaps">');
    const pixels = 64 * 64;
    for (const m of trial.methods) {
      const maps = await savedMaps(outDir, m.method);
      for (const s of [0, 1, 2, 3]) {
        const sceneAuroc = auroc(maps.subarray(s * pixels, (s + 1) * pixels), data.test.masks.subarray(s * pixels, (s + 1) * pixels));
        expect(html).toContain(`${m.method} anomaly heatmap of scene ${s}, per-image AUROC ${(100 * sceneAuroc).toFixed(1)}"`);
      }
    }
    expect(html).not.toContain('id="heatmap-scene-4"');
    await rm(join(outDir, TABLE_VII_FILE));
    await rm(join(outDir, 'report.html'));
    const rebuilt = await writeReport(outDir, onDisk);
    expect(await readFile(join(outDir, TABLE_VII_FILE), 'utf8')).toBe(table);
    expect(rebuilt.markdown).toBe(markdown);
    expect(await readFile(join(outDir, 'report.html'), 'utf8')).toBe(html);
    expect(comparable(results)).toEqual(comparable(onDisk));
  });

  test('Ctrl-C after the first unit keeps it; resume trains only the rest and ends with the numbers of the uninterrupted run', async () => {
    const reference = resultsFileSchema.parse(JSON.parse(await readFile(join(root, 'full', 'results.json'), 'utf8')));
    const outDir = join(root, 'resumed');
    const controller = new AbortController();
    const first = await runSegmentationExperiment({
      ...base(outDir),
      signal: controller.signal,
      reporter: { onUnitEnd: () => controller.abort() },
    });
    expect(first.interrupted).toBe(true);
    expect(await readdir(join(outDir, 'units', 'scenes', 'trial-0'))).toEqual(['baseline']);
    const trained: string[] = [];
    const second = await runSegmentationExperiment({
      ...base(outDir),
      resume: true,
      reporter: { onModelStart: (model) => trained.push(model) },
    });
    expect(second.results.complete).toBe(true);
    expect(trained).toEqual(['MiT']);
    expect(comparable(second.results)).toEqual(comparable(reference));
  });
});
