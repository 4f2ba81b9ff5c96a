import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCli, buildExperiments, runCurvad } from '../../test/run-curvad';

const root = mkdtempSync(join(tmpdir(), 'curvad-experiment-ood-cli-'));
const configFile = join(root, 'tiny.json');

/** A whole config (no preset): one model, one epoch on 300 MNIST digits, scored on 100 test and 100 noise images. */
const TINY_CONFIG = {
  name: 'tiny',
  backbone: { name: 'small-cnn', options: {} },
  embeddingDim: 8,
  models: ['baseline'],
  configurations: [
    {
      name: 'holdout',
      description: 'MNIST 0-5 vs noise',
      id: { dataset: 'mnist', classes: [0, 1, 2, 3, 4, 5], partition: 0.7 },
      ood: [{ kind: 'noise', name: 'Uniform', noise: 'uniform', count: 100 }],
    },
  ],
  detectors: { odin: false },
  optimizer: { name: 'adam', learningRate: 3e-3 },
  epochs: 1,
  batchSize: 64,
  trials: 1,
  seed: 2,
  limits: { train: 300, test: 100, ood: 100 },
};

beforeAll(() => {
  buildExperiments();
  buildCli();
  writeFileSync(configFile, JSON.stringify(TINY_CONFIG));
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('curvad experiment ood', () => {
  test("prints the run's tables (the markdown the run returns, which is its tables.md) on stdout, then where the report and results are", async () => {
    const out = join(root, 'run');
    const run = await runCurvad(['experiment', 'ood', '--config', configFile, '--backend', 'wasm', '--out', out]);
    expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(run.code).toBe(0);
    const tables = readFileSync(join(out, 'tables.md'), 'utf8').trimEnd();
    expect(tables).toMatch(/\| MSP \| /);
    const [printed, rest] = [run.stdout.slice(0, tables.length), run.stdout.slice(tables.length)];
    expect(printed).toBe(tables);
    expect(rest).toMatch(/^\n\nReport: {2}\S*report\.html\nResults: \S*results\.json \(1 of 1 trials, /);
    expect(run.stdout.split('| MSP |').length - 1).toBe(tables.split('| MSP |').length - 1);
  });
});
