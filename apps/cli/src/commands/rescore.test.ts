import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCli, buildExperiments, CLI_DIR, runCurvad } from '../../test/run-curvad';

const root = mkdtempSync(join(tmpdir(), 'curvad-rescore-cli-'));
const runDir = join(root, 'run');

/** A finished one-trial run with saved models, made by the experiments package in a child process (the CLI's tests never load tfjs). */
const MAKE_RUN = `
import { initBackend } from '@curvad/runtime';
import { parseOodConfig, runOodExperiment } from '@curvad/experiments';
await initBackend({ backend: 'wasm', log: false });
const config = parseOodConfig({
  name: 'tiny', backbone: { name: 'small-cnn', options: {} }, embeddingDim: 8, models: ['baseline'],
  configurations: [{ name: 'holdout', description: 'MNIST 0-5 vs noise', id: { dataset: 'mnist', classes: [0, 1, 2, 3, 4, 5], partition: 0.7 },
    ood: [{ kind: 'noise', name: 'Uniform', noise: 'uniform', count: 100 }] }],
  detectors: { odin: false }, optimizer: { name: 'adam', learningRate: 3e-3 }, epochs: 1, batchSize: 64, trials: 1, seed: 2,
  limits: { train: 300, test: 100, ood: 100 },
});
await runOodExperiment({ config, outDir: process.argv[1], command: 'test', backend: 'wasm', report: false });
`;

beforeAll(() => {
  buildExperiments();
  buildCli();
  const made = spawnSync(process.execPath, ['--input-type=module', '-e', MAKE_RUN, runDir], { cwd: CLI_DIR, encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`making the test run failed: ${made.stderr}`);
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const hasStack = (text: string) => /^\s+at .+:\d+:\d+\)?$/m.test(text);

describe('curvad rescore', () => {
  test('--help lists every detector --methods accepts, with examples', async () => {
    const run = await runCurvad(['rescore', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: curvad rescore \[options\] <dir>/);
    for (const name of ['msp', 'odin', 'maxlogit', 'energy', 'geometric', 'odin-hyperbolic', 'mahalanobis', 'knn'])
      expect(run.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(run.stdout).toContain('$ npx curvad rescore results/fmnist-mnist --methods maxlogit,energy');
    expect(run.stdout).toContain('Nothing is trained.');
  });

  test('an unknown method: exit 2, the list of methods, nothing rewritten', async () => {
    const before = readFileSync(join(runDir, 'results.json'), 'utf8');
    const run = await runCurvad(['rescore', runDir, '--methods', 'msp,lof']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^curvad: unknown method 'lof'\. Choose from:\n {2}msp +MSP/);
    expect(run.stderr).toContain('  energy ');
    expect(run.stderr).toContain('  knn ');
    expect(hasStack(run.stderr)).toBe(false);
    expect(readFileSync(join(runDir, 'results.json'), 'utf8')).toBe(before);
  });

  test('a folder without saved models: exit 2 and what to give', async () => {
    const run = await runCurvad(['rescore', root]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/rescore needs a run folder with saved models \(units\/\)/);
    expect(hasStack(run.stderr)).toBe(false);
  });

  test('rescores the saved models with the named methods and rewrites results.json, keeping the weights', async () => {
    const weights = readFileSync(join(runDir, 'units', 'holdout', 'trial-0', 'baseline', 'model', 'weights.bin'));
    const run = await runCurvad(['rescore', runDir, '--methods', 'energy', '--backend', 'wasm']);
    expect(run.stderr).not.toMatch(/epoch/i);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('rescoring holdout trial 0 baseline (1 of 1)');
    expect(run.stdout).toContain(`Rescored 1 saved model(s) in ${runDir}`);
    const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as {
      configurations: { trials: { methods: { method: string }[] }[] }[];
    };
    expect(results.configurations[0]!.trials[0]!.methods.map((m) => m.method)).toEqual(['MSP', 'Energy']);
    expect(readFileSync(join(runDir, 'units', 'holdout', 'trial-0', 'baseline', 'model', 'weights.bin'))).toEqual(weights);
  });

  test('--methods knn adds the KNN row (fitted on the ID training set) and keeps the others', async () => {
    const run = await runCurvad(['rescore', runDir, '--methods', 'knn', '--backend', 'wasm']);
    expect(run.code).toBe(0);
    const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as {
      configurations: { trials: { methods: { method: string; score: string; perOod: Record<string, { auroc: number }> }[] }[] }[];
    };
    const methods = results.configurations[0]!.trials[0]!.methods;
    expect(methods.map((m) => m.method)).toEqual(['MSP', 'Energy', 'KNN (k=50)']);
    expect(methods[2]!.score).toBe("knn(k=50, features of layer 'projection', fitted on the ID training set)");
    expect(methods[2]!.perOod.Uniform!.auroc).toBeGreaterThanOrEqual(0);
  });
});
