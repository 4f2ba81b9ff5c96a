import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cliTestFolder } from '../../test/cli-test-folder';
import { runCurvad } from '../../test/run-curvad';

// The tiny end-to-end config of apps/experiments' patch-svdd tests: 64x64 images, one step, D = 8.
const TINY = {
  name: 'tiny-patch-svdd',
  dataset: 'defect-benchmark',
  categories: [1],
  benchmark: { size: 64, train: 4, test: 4, defectFraction: 0.5 },
  patch: { size: 64, largeStride: 16, smallStride: 16 },
  embeddingDim: 8,
  hiddenUnits: 8,
  models: ['baseline', 'SiT'],
  epochs: 1,
  stepsPerEpoch: 1,
  batchSize: 2,
  knnTrainImages: 2,
  trials: 1,
  seed: 1,
};

const root = cliTestFolder('curvad-experiment-patch-svdd-cli-', { 'tiny.json': TINY });
const noStack = /^\s+at .+:\d+:\d+\)?$/m;

describe('curvad experiment patch-svdd', () => {
  test('--help lists the presets with their sizes, the rows, metrics and examples', async () => {
    const help = await runCurvad(['experiment', 'patch-svdd', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/fmnist-defects +defect-benchmark, 5 categories at 128x128, patches 64\/32, 7 models/);
    expect(help.stdout).toMatch(/mvtec +mvtec, 15 categories at 256x256, patches 64\/32, 7 models/);
    expect(help.stdout).toContain('AUPRO to FPR 0.3');
    const parent = await runCurvad(['experiment', '--help']);
    expect(parent.stdout).toMatch(/^ +patch-svdd \[options\] +one-class anomaly segmentation/m);
  });

  test('usage errors say what is wrong and what to do (exit 2, no stack)', async () => {
    const unknown = await runCurvad(['experiment', 'patch-svdd', '--preset', 'fmnist-scenes']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown patch-svdd preset 'fmnist-scenes'\. Choose one of: fmnist-defects, mvtec/);
    const bad = await runCurvad(['experiment', 'patch-svdd', '--preset', 'fmnist-defects', '--set', 'patch.size=96', '--print-config']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /invalid patch-svdd experiment config \(preset fmnist-defects \+ --set patch\.size=96\):\n {2}patch\.size: 96 must be 64, 128/,
    );
    for (const run of [unknown, bad]) expect(run.stderr).not.toMatch(noStack);
  });

  test('--print-config of --quick reads back through --config to the same config', async () => {
    const printed = await runCurvad(['experiment', 'patch-svdd', '--preset', 'fmnist-defects', '--quick', '--print-config']);
    expect(printed.code).toBe(0);
    const config = JSON.parse(printed.stdout);
    expect(config).toMatchObject({ name: 'fmnist-defects-quick', trials: 1, models: ['baseline', 'MiO', 'MiT'] });
    const file = join(root, 'printed.json');
    writeFileSync(file, printed.stdout);
    const again = await runCurvad(['experiment', 'patch-svdd', '--config', file, '--print-config']);
    expect(JSON.parse(again.stdout)).toEqual(config);
  });

  test('a run prints Tables VIII and IX and says where they are (exit 0)', async () => {
    const out = join(root, 'run');
    const run = await runCurvad(['experiment', 'patch-svdd', '--config', join(root, 'tiny.json'), '--backend', 'wasm', '--out', out]);
    expect(run.stderr).not.toMatch(noStack);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# tiny-patch-svdd: Table VIII/);
    expect(run.stdout).toMatch(/\| Category \| baseline \| SiT \|/);
    expect(run.stdout).toMatch(/Report: .*report\.html \(Tables VIII and IX: .*table-viii\.md, .*table-ix\.md\)/);
    expect(readFileSync(join(out, 'table-ix.md'), 'utf8')).toContain('| class-1 |');
  });
});
