import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '@curvad/metrics';
import { initBackend } from '@curvad/runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ResultsFile } from '../../core/results/results-file';
import { runFilePath } from '../../core/store/unit-store';
import { ExperimentError } from '../../experiment-error';
import { oneClassPresetConfig } from '../one-class/config/presets';
import { parseOodConfig } from './config/ood-config';
import { rescoreRun } from './rescore-run';
import { runOodExperiment } from './run-ood-experiment';

// One trial of two models; more training images than evaluation images, so training clearly costs more than scoring.
const config = parseOodConfig({
  name: 'tiny-rescore',
  configurations: [
    {
      name: 'holdout',
      description: 'MNIST 0-5 vs 6-9',
      id: { dataset: 'mnist', classes: [0, 1, 2, 3, 4, 5], partition: 0.7 },
      ood: [{ kind: 'noise', name: 'Uniform', noise: 'uniform', count: 150 }],
    },
  ],
  backbone: { name: 'small-cnn', options: {} },
  embeddingDim: 8,
  models: ['baseline', 'HiO'],
  detectors: { odin: false },
  optimizer: { name: 'adam', learningRate: 3e-3 },
  epochs: 2,
  batchSize: 64,
  trials: 1,
  seed: 5,
  limits: { train: 1000, test: 150, ood: 150 },
});

let root: string;
let outDir: string;
let trained: ResultsFile;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
  root = await mkdtemp(join(tmpdir(), 'curvad-rescore-'));
  outDir = join(root, 'run');
  trained = (await runOodExperiment({ config, outDir, command: 'test', backend: 'wasm', report: false })).results;
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const weightsOf = (model: string) => readFile(join(outDir, 'units', 'holdout', 'trial-0', model, 'model', 'weights.bin'));

describe('rescoreRun', () => {
  test('adds detectors to the saved models without training: same weights, old rows kept, new rows match their saved scores', async () => {
    const before = await Promise.all([weightsOf('baseline'), weightsOf('hio')]);
    const seconds: number[] = [];
    const { results, rescored, interrupted } = await rescoreRun({
      outDir,
      detectors: ['maxlogit', 'energy'],
      report: false,
      reporter: { onUnitEnd: (u) => seconds.push(u.seconds) },
    });
    expect(interrupted).toBe(false);
    expect(rescored).toBe(2);
    const trial = results.configurations[0]!.trials[0]!;
    const old = trained.configurations[0]!.trials[0]!;
    expect(trial.methods.map((m) => m.method)).toEqual(['MSP', 'MaxLogit', 'Energy', 'MaxLogit +HiO', 'Energy +HiO', '+HiO']);
    // The rows of other detectors and the id accuracy are the trained run's; no weight changed.
    expect(trial.methods.find((m) => m.method === 'MSP')).toEqual(old.methods.find((m) => m.method === 'MSP'));
    expect(trial.idAccuracy).toEqual(old.idAccuracy);
    expect(trial.training).toEqual(old.training);
    expect(await Promise.all([weightsOf('baseline'), weightsOf('hio')])).toEqual(before);
    // Scoring only: each unit took well under its training time (forward passes over 450 images vs 2 epochs of 1000).
    const trainingSeconds = ['baseline', 'HiO'].map((m) => old.training![m]!.reduce((s, e) => s + e.seconds, 0));
    for (const [i, s] of seconds.entries()) expect(s).toBeLessThan(trainingSeconds[i]!);
    // The new rows are what their saved raw scores give, and results.json on disk is the rebuilt view.
    const dir = join(outDir, 'scores', 'holdout', 'trial-0');
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as Record<
      string,
      { file: string; sets: { set: string; count: number }[] }
    >;
    const bytes = await readFile(join(dir, index.Energy!.file));
    const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const labels = new Uint8Array(all.length).fill(1, index.Energy!.sets[0]!.count);
    expect(trial.methods.find((m) => m.method === 'Energy')!.perOod.Uniform).toEqual(evaluate(all, labels));
    const onDisk = JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')) as ResultsFile;
    expect(onDisk.configurations[0]!.trials[0]!.methods.map((m) => m.method)).toEqual([
      'MSP',
      'MaxLogit',
      'Energy',
      'MaxLogit +HiO',
      'Energy +HiO',
      '+HiO',
    ]);
    expect(trial.plots!.histograms.map((h) => h.method)).toEqual(['MSP', 'MaxLogit', 'Energy', 'MaxLogit +HiO', 'Energy +HiO', '+HiO']);
  });

  test("re-scoring with the run's own detectors reproduces its numbers exactly (the saved models are the trained ones)", async () => {
    const { results } = await rescoreRun({ outDir, detectors: ['msp', 'geometric'], report: false });
    const trial = results.configurations[0]!.trials[0]!;
    const old = trained.configurations[0]!.trials[0]!;
    for (const method of ['MSP', '+HiO'])
      expect(trial.methods.find((m) => m.method === method)).toEqual(old.methods.find((m) => m.method === method));
  });

  test('--methods knn,mahalanobis adds rows to every saved model, fitted on the ID training set, each matching its saved scores', async () => {
    const before = await rescoreRun({ outDir, detectors: ['msp'], report: false });
    const { results } = await rescoreRun({ outDir, detectors: ['knn', 'mahalanobis'], report: false });
    const trial = results.configurations[0]!.trials[0]!;
    const rows = ['Mahalanobis', 'KNN (k=50)', 'Mahalanobis +HiO', 'KNN (k=50) +HiO'];
    expect(trial.methods.map((m) => m.method)).toEqual([
      ...before.results.configurations[0]!.trials[0]!.methods.filter((m) => m.model === 'baseline').map((m) => m.method),
      'Mahalanobis',
      'KNN (k=50)',
      ...before.results.configurations[0]!.trials[0]!.methods.filter((m) => m.model === 'HiO').map((m) => m.method),
      'Mahalanobis +HiO',
      'KNN (k=50) +HiO',
    ]);
    // The other rows are untouched; the new ones record what scored them.
    for (const m of before.results.configurations[0]!.trials[0]!.methods)
      expect(trial.methods.find((x) => x.method === m.method)).toEqual(m);
    expect(trial.methods.find((m) => m.method === 'KNN (k=50) +HiO')!.score).toBe(
      "knn(k=50, features of layer 'projection', fitted on the ID training set)",
    );
    const dir = join(outDir, 'scores', 'holdout', 'trial-0');
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as Record<
      string,
      { file: string; sets: { set: string; count: number }[] }
    >;
    for (const row of rows) {
      const bytes = await readFile(join(dir, index[row]!.file));
      const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      const labels = new Uint8Array(all.length).fill(1, index[row]!.sets[0]!.count);
      expect(trial.methods.find((m) => m.method === row)!.perOod.Uniform).toEqual(evaluate(all, labels));
      // Far OOD (uniform noise) against a trained model's features: both detectors rank it well above chance.
      expect(trial.methods.find((m) => m.method === row)!.perOod.Uniform!.auroc).toBeGreaterThan(0.6);
    }
  });

  test('an unknown detector, or a folder without saved models, is an ExperimentError saying what to give', async () => {
    await expect(rescoreRun({ outDir, detectors: ['lof'] })).rejects.toThrow(
      "unknown detector 'lof'; choose from: msp, odin, maxlogit, energy, geometric, odin-hyperbolic, mahalanobis, knn, eloc.",
    );
    const empty = join(root, 'empty');
    await mkdir(empty);
    const attempt = rescoreRun({ outDir: empty });
    await expect(attempt).rejects.toThrow(ExperimentError);
    await expect(attempt).rejects.toThrow(/rescore needs a run folder with saved models \(units\/\)/);
  });

  test('a run of another task is refused with one sentence naming the task, before its config is read as an OOD config', async () => {
    const oneClass = join(root, 'one-class');
    await mkdir(join(oneClass, 'units'), { recursive: true });
    await writeFile(
      runFilePath(oneClass),
      JSON.stringify({ ...trained, config: oneClassPresetConfig('mnist-one-class', { quick: true }) }),
    );
    const attempt = rescoreRun({ outDir: oneClass });
    await expect(attempt).rejects.toThrow(ExperimentError);
    await expect(attempt).rejects.toThrow(
      /is a run of the one-class task; rescore re-scores runs of the OOD task \(npx curvad experiment ood\) only\./,
    );
  });
});
