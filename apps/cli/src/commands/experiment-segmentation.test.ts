import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cliTestFolder } from '../../test/cli-test-folder';
import { runCurvad } from '../../test/run-curvad';

// The tiny end-to-end config of apps/experiments' segmentation tests, one model pair, one epoch.
const TINY = {
  name: 'tiny-segmentation',
  dataset: 'fmnist-scenes',
  scenes: { size: 64, grid: 2, train: 16, test: 4, anomaliesPerScene: 1 },
  unet: { depth: 1, width: 4, embeddingDim: 8 },
  models: ['baseline', 'SiT'],
  epochs: 1,
  batchSize: 8,
  trials: 1,
  seed: 1,
};

const root = cliTestFolder('curvad-experiment-segmentation-cli-', { 'tiny.json': TINY });
const noStack = /^\s+at .+:\d+:\d+\)?$/m;

describe('curvad experiment segmentation', () => {
  test('--help lists the presets with their sizes, the rows, metrics and examples; experiment --help names the command', async () => {
    const help = await runCurvad(['experiment', 'segmentation', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /fmnist-scenes +fmnist-scenes, 1000 training \/ 200 test scenes of 64x64, 4 models \(U-Net depth 2\), 4 epochs, 3 trials/,
    );
    expect(help.stdout).toMatch(/streethazards +streethazards, 256x512 scenes, 4 models/);
    expect(help.stdout).toMatch(/StreetHazards per-image\s+protocol/);
    expect(help.stdout).toContain('--resume');
    const parent = await runCurvad(['experiment', '--help']);
    expect(parent.stdout).toMatch(/^ +segmentation \[options\] +multi-class anomaly segmentation/m);
  });

  test('usage errors say what is wrong and what to do (exit 2, no stack)', async () => {
    const none = await runCurvad(['experiment', 'segmentation']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /required option '--preset <name>' not specified: give --preset NAME \(.*experiment segmentation --help lists them\)/,
    );
    const unknown = await runCurvad(['experiment', 'segmentation', '--preset', 'fmnist-one-class']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown segmentation preset 'fmnist-one-class'\. Choose one of: fmnist-scenes, streethazards/);
    const bad = await runCurvad(['experiment', 'segmentation', '--preset', 'fmnist-scenes', '--set', 'scenes.size=62', '--print-config']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /invalid segmentation experiment config \(preset fmnist-scenes \+ --set scenes\.size=62\):\n {2}scenes\.size: 62x62 must be a multiple of 2\^unet\.depth = 4/,
    );
    const resume = await runCurvad(['experiment', 'segmentation', '--preset', 'fmnist-scenes', '--resume']);
    expect(resume.code).toBe(2);
    expect(resume.stderr).toMatch(/--resume needs --out DIR/);
    for (const run of [none, unknown, bad, resume]) expect(run.stderr).not.toMatch(noStack);
  });

  test('--print-config of --quick reads back through --config to the same config', async () => {
    const printed = await runCurvad(['experiment', 'segmentation', '--preset', 'fmnist-scenes', '--quick', '--print-config']);
    expect(printed.code).toBe(0);
    const config = JSON.parse(printed.stdout);
    expect(config).toMatchObject({ name: 'fmnist-scenes-quick', trials: 1, epochs: 1, scenes: { train: 96, test: 24 } });
    const file = join(root, 'printed.json');
    writeFileSync(file, printed.stdout);
    const again = await runCurvad(['experiment', 'segmentation', '--config', file, '--print-config']);
    expect(JSON.parse(again.stdout)).toEqual(config);
  });

  test('a run prints Table VII and says where the report and results are (exit 0)', async () => {
    const out = join(root, 'run');
    const run = await runCurvad(['experiment', 'segmentation', '--config', join(root, 'tiny.json'), '--backend', 'wasm', '--out', out]);
    expect(run.stderr).not.toMatch(noStack);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# tiny-segmentation: Table VII/);
    expect(run.stdout).toMatch(/\| Method \| FPR95 \| AUROC \| AUPR \| Pooled FPR95 \| Pooled AUROC \| Pooled AUPR \| mIoU \|/);
    for (const row of ['MSP', 'MaxLogit', 'SiT']) expect(run.stdout).toMatch(new RegExp(`\\| ${row} \\|`));
    expect(run.stdout).toMatch(/Report: .*report\.html \(Table VII: .*table-vii\.md\)/);
    expect(readFileSync(join(out, 'table-vii.md'), 'utf8')).toContain('| SiT |');
  });
});
