import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@curvad/runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ResultsFile, resultsFileSchema } from '../../core/results/results-file';
import { parsePatchSvddConfig } from './config/patch-svdd-config';
import { loadPatchSvddData } from './data/load-data';
import { type RunPatchSvddOptions, runPatchSvddExperiment, TABLE_IX_FILE, TABLE_VIII_FILE } from './run-patch-svdd-experiment';
import { ANOMALY_MAPS_SET } from './run-unit';
import { categoryMetricSets, PIXEL_SET } from './score/segmentation-metrics';
import { TINY_PATCH_SVDD } from './test-support';

let root: string;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
  root = await mkdtemp(join(tmpdir(), 'curvad-patch-svdd-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const config = parsePatchSvddConfig(TINY_PATCH_SVDD);

function base(outDir: string): RunPatchSvddOptions {
  return { config, outDir, command: 'test', backend: 'wasm', quick: true };
}

function comparable(results: ResultsFile) {
  const stored = JSON.parse(JSON.stringify(results)) as ResultsFile;
  return stored.configurations.map((c) => c.trials.map((t) => ({ status: t.status, methods: t.methods })));
}

async function savedMaps(outDir: string, method: string): Promise<Float32Array> {
  const dir = join(outDir, 'scores', 'class-1', 'trial-0');
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
  const entry = index[method] as { file: string; sets: { set: string; count: number }[] };
  expect(entry.sets.map((s) => s.set)).toEqual([ANOMALY_MAPS_SET]);
  const bytes = await readFile(join(dir, entry.file));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

describe('runPatchSvddExperiment', () => {
  test('saved anomaly maps reproduce every metric of results.json; Tables VIII and IX hold every model', async () => {
    const outDir = join(root, 'full');
    const { interrupted, markdown } = await runPatchSvddExperiment(base(outDir));
    expect(interrupted).toBe(false);
    const onDisk = resultsFileSchema.parse(JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')));
    expect(onDisk.complete).toBe(true);
    const trial = onDisk.configurations[0]!.trials[0]!;
    expect(trial.methods.map((m) => m.method)).toEqual(['baseline', 'baseline (Patch-SVDD scoring)', 'MiT', 'MiT (Patch-SVDD scoring)']);
    const data = await loadPatchSvddData(config, 'class-1');
    for (const m of trial.methods) {
      const maps = await savedMaps(outDir, m.method);
      expect(maps.length).toBe(4 * 64 * 64);
      expect(m.perOod).toEqual(categoryMetricSets({ maps, masks: data.test.masks, defective: data.test.defective, shape: [4, 64, 64] }));
      expect(m.perOod[PIXEL_SET]!.aupro).toBeGreaterThanOrEqual(0);
    }
    const viii = await readFile(join(outDir, TABLE_VIII_FILE), 'utf8');
    const auroc = trial.methods.find((m) => m.method === 'MiT')!.perOod[PIXEL_SET]!.auroc;
    expect(viii).toContain('| Category | baseline | MiT |');
    expect(viii).toContain(`${(100 * auroc).toFixed(1)}`);
    expect(await readFile(join(outDir, TABLE_IX_FILE), 'utf8')).toContain('Table IX layout');
    expect(markdown.startsWith('# tiny-patch-svdd: Table VIII')).toBe(true);
  });

  test('epochs 0 scores the untrained models (a control): no training curve, the maps of the initial weights', async () => {
    const outDir = join(root, 'untrained');
    const untrained = parsePatchSvddConfig({ ...TINY_PATCH_SVDD, epochs: 0 });
    const { results } = await runPatchSvddExperiment({ ...base(outDir), config: untrained });
    expect(results.complete).toBe(true);
    const units = JSON.parse(await readFile(join(outDir, 'units', 'class-1', 'trial-0', 'baseline', 'unit.json'), 'utf8'));
    expect(units.training).toEqual([]);
    // The same seeds as the trained run: its one training step changed the maps.
    const trainedMaps = await savedMaps(join(root, 'full'), 'baseline (Patch-SVDD scoring)');
    const untrainedMaps = await savedMaps(outDir, 'baseline (Patch-SVDD scoring)');
    expect(untrainedMaps.length).toBe(trainedMaps.length);
    expect(untrainedMaps.some((v, i) => Math.abs(v - trainedMaps[i]!) > 1e-6)).toBe(true);
    expect(await readFile(join(outDir, 'report.html'), 'utf8')).toContain('untrained encoder and heads');
  });

  test('Ctrl-C after the first unit keeps it; resume trains only the rest and ends with the numbers of the uninterrupted run', async () => {
    const reference = resultsFileSchema.parse(JSON.parse(await readFile(join(root, 'full', 'results.json'), 'utf8')));
    const outDir = join(root, 'resumed');
    const controller = new AbortController();
    const first = await runPatchSvddExperiment({
      ...base(outDir),
      signal: controller.signal,
      reporter: { onUnitEnd: () => controller.abort() },
    });
    expect(first.interrupted).toBe(true);
    expect(await readdir(join(outDir, 'units', 'class-1', 'trial-0'))).toEqual(['baseline']);
    const trained: string[] = [];
    const second = await runPatchSvddExperiment({
      ...base(outDir),
      resume: true,
      reporter: { onModelStart: (model) => trained.push(model) },
    });
    expect(second.results.complete).toBe(true);
    expect(trained).toEqual(['MiT']);
    expect(comparable(second.results)).toEqual(comparable(reference));
  });
});
