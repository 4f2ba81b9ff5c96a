// The `mvtec` preset end to end on fixture files in the official layout (issue 17): --quick (the
// preset's encoders, D = 64, patches 64 / 32 at strides 16 / 4), then shrunk further to one greyscale
// category at 64 px, one step of batch 2, the baseline and MiT (about 7 s on wasm). Checks
// that results.json's pixel and image metrics are the ones the saved anomaly maps give against the
// loader's masks, and that Tables VIII and IX carry the category's row.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTableCell } from '@curvad/metrics';
import { initBackend } from '@curvad/runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resultsFileSchema } from '../../core/results/results-file';
import { parsePatchSvddConfig } from './config/patch-svdd-config';
import { patchSvddPresetInput } from './config/presets';
import { quickPatchSvddConfig } from './config/quick';
import { loadPatchSvddData } from './data/load-data';
import { MVTEC_FIXTURE, writeMvtecFixture } from './data/mvtec-fixture';
import { runPatchSvddExperiment, TABLE_IX_FILE, TABLE_VIII_FILE } from './run-patch-svdd-experiment';
import { ANOMALY_MAPS_SET } from './run-unit';
import { categoryMetricSets, IMAGE_SET, PIXEL_SET } from './score/segmentation-metrics';

const SIZE = 64;
const CATEGORY = 'grid';

let root: string;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
  root = await mkdtemp(join(tmpdir(), 'curvad-patch-svdd-mvtec-'));
  await writeMvtecFixture(join(root, 'mvtec_anomaly_detection'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** `--preset mvtec --quick` with the fixture folder, one category at 64 px and one step of batch 2 (what two slow cores afford). */
function tinyMvtecConfig() {
  const quick = quickPatchSvddConfig(patchSvddPresetInput('mvtec') as Record<string, unknown>);
  return parsePatchSvddConfig(
    {
      ...quick,
      categories: [CATEGORY],
      mvtec: { ...(quick.mvtec as object), dir: join(root, 'mvtec_anomaly_detection'), size: SIZE },
      models: ['baseline', 'MiT'],
      stepsPerEpoch: 1,
      batchSize: 2,
    },
    'preset mvtec + --quick + test overrides',
  );
}

async function savedMaps(outDir: string, method: string): Promise<Float32Array> {
  const dir = join(outDir, 'scores', CATEGORY, 'trial-0');
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
  const entry = index[method] as { file: string; sets: { set: string; count: number }[] };
  expect(entry.sets.map((s) => s.set)).toEqual([ANOMALY_MAPS_SET]);
  const bytes = await readFile(join(dir, entry.file));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

describe('runPatchSvddExperiment with the mvtec preset on fixture files', () => {
  test('grid, baseline and MiT: results.json metrics from the saved maps and the official masks; Tables VIII and IX rows', async () => {
    const config = tinyMvtecConfig();
    expect(config).toMatchObject({ name: 'mvtec-quick', dataset: 'mvtec', trials: 1, epochs: 1, scorings: ['dagger', 'knn'] });
    const outDir = join(root, 'run');
    const { interrupted } = await runPatchSvddExperiment({ config, outDir, command: 'test', backend: 'wasm', quick: true });
    expect(interrupted).toBe(false);

    const results = resultsFileSchema.parse(JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')));
    expect(results.complete).toBe(true);
    expect(results.configurations.map((c) => c.name)).toEqual([CATEGORY]);
    const trial = results.configurations[0]!.trials[0]!;
    expect(trial.status).toBe('completed');
    expect(trial.methods.map((m) => m.method)).toEqual(['baseline', 'baseline (Patch-SVDD scoring)', 'MiT', 'MiT (Patch-SVDD scoring)']);

    const data = await loadPatchSvddData(config, CATEGORY);
    const images = MVTEC_FIXTURE.grid.test.length;
    for (const m of trial.methods) {
      for (const set of [PIXEL_SET, IMAGE_SET]) {
        const auroc = m.perOod[set]!.auroc;
        expect(auroc, `${m.method} ${set} AUROC`).toBeGreaterThanOrEqual(0);
        expect(auroc, `${m.method} ${set} AUROC`).toBeLessThanOrEqual(1);
      }
      const maps = await savedMaps(outDir, m.method);
      expect(maps.length).toBe(images * SIZE * SIZE);
      expect(m.perOod).toEqual(
        categoryMetricSets({ maps, masks: data.test.masks, defective: data.test.defective, shape: [images, SIZE, SIZE] }),
      );
    }

    const cell = (method: string) =>
      formatTableCell(
        { mean: trial.methods.find((m) => m.method === method)!.perOod[PIXEL_SET]!.auroc, std: null },
        { percent: true, digits: 1 },
      );
    const viii = await readFile(join(outDir, TABLE_VIII_FILE), 'utf8');
    expect(viii.startsWith('# mvtec-quick: Table VIII')).toBe(true);
    expect(viii).toContain('| Category | baseline | MiT |');
    expect(viii).toContain(`| ${CATEGORY} | ${cell('baseline')} | ${cell('MiT')} |`);
    const ix = await readFile(join(outDir, TABLE_IX_FILE), 'utf8');
    expect(ix).toContain(`| ${CATEGORY} | ${cell('baseline (Patch-SVDD scoring)')} | ${cell('MiT (Patch-SVDD scoring)')} |`);
  });
});
