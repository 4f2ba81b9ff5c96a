import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cliTestFolder } from '../../test/cli-test-folder';
import { runCurvad } from '../../test/run-curvad';
import { TINY_ONE_CLASS_CONFIG } from '../../test/tiny-one-class-config';

const root = cliTestFolder('curvad-experiment-one-class-cli-', { 'tiny.json': TINY_ONE_CLASS_CONFIG });
const configFile = join(root, 'tiny.json');

describe('curvad experiment one-class', () => {
  test('--help lists the presets with their sizes, the scorings and examples; experiment --help names the command', async () => {
    const help = await runCurvad(['experiment', 'one-class', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/fmnist-one-class +fashion-mnist, 10 normal classes, 4 models \(small-cnn\), 2 epochs, 3 trials/);
    expect(help.stdout).toMatch(/mnist-one-class +mnist, 10 normal classes/);
    expect(help.stdout).toMatch(/cifar10-rotnet +cifar10, 10 normal classes, 4 models \(wrn-28-10\)/);
    expect(help.stdout).toMatch(/Scorings: standard \(default; every rotation/);
    expect(help.stdout).toContain('--resume');
    expect(help.stdout).toMatch(/--queue <url> +redis:\/\/\[:PASSWORD@\]HOST:PORT\[\/DB\]: queue one job per\s+unit/);
    expect(help.stdout).toMatch(/--attempts <n> +with --queue/);
    expect(help.stdout).toMatch(/--retry-seconds <n> +with --queue/);
    expect(help.stdout).toMatch(
      /\$ npx curvad experiment one-class --preset fmnist-one-class --queue redis:\/\/127\.0\.0\.1:6379\/0 --backend wasm --out \S+\n +queue one job per unit/,
    );
    const parent = await runCurvad(['experiment', '--help']);
    expect(parent.stdout).toMatch(/one-class .*RotNet/);
  });

  test('usage errors say what is wrong and what to do (exit 2, no stack)', async () => {
    const none = await runCurvad(['experiment', 'one-class']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /required option '--preset <name>' not specified: give --preset NAME \(.*experiment one-class --help lists them\)/,
    );
    const unknown = await runCurvad(['experiment', 'one-class', '--preset', 'fmnist-mnist']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /unknown one-class preset 'fmnist-mnist'\. Choose one of: fmnist-one-class, mnist-one-class, cifar10-rotnet/,
    );
    const bad = await runCurvad([
      'experiment',
      'one-class',
      '--preset',
      'mnist-one-class',
      '--set',
      'curvatures.HiT=0.5',
      '--print-config',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /invalid one-class experiment config \(preset mnist-one-class \+ --set curvatures\.HiT=0\.5\):\n {2}curvatures\.HiT: .*\(got 0\.5\)/,
    );
    const resume = await runCurvad(['experiment', 'one-class', '--preset', 'mnist-one-class', '--resume']);
    expect(resume.code).toBe(2);
    expect(resume.stderr).toMatch(/--resume needs --out DIR, the folder of the run to continue/);
    for (const run of [none, unknown, bad, resume]) expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });

  test('--print-config prints the resolved config, which --config reads back to the same config', async () => {
    const printed = await runCurvad(['experiment', 'one-class', '--preset', 'mnist-one-class', '--quick', '--print-config']);
    expect(printed.code).toBe(0);
    const config = JSON.parse(printed.stdout);
    expect(config).toMatchObject({
      name: 'mnist-one-class-quick',
      normalClasses: [0, 1],
      trials: 1,
      epochs: 1,
      divergenceDirection: 'both',
    });
    const file = join(root, 'printed.json');
    writeFileSync(file, printed.stdout);
    const again = await runCurvad(['experiment', 'one-class', '--config', file, '--print-config']);
    expect(JSON.parse(again.stdout)).toEqual(config);
  });

  test('a run prints Table VI and the per-class tables, then where the report and results are; --resume of the finished run prints the same Table VI', async () => {
    const out = join(root, 'run');
    const run = await runCurvad(['experiment', 'one-class', '--config', configFile, '--backend', 'wasm', '--out', out]);
    expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(run.code).toBe(0);
    const tableVi = readFileSync(join(out, 'table-vi.md'), 'utf8').trimEnd();
    expect(run.stdout.startsWith(tableVi)).toBe(true);
    expect(tableVi).toMatch(/\| Method \| digit 1 \| Mean \|\n\| --- \| --- \| --- \|\n\| RotNet \| \d+\.\d \| \d+\.\d \|/);
    expect(run.stdout).toMatch(
      /\nReport: {2}\S*report\.html \(Table VI: \S*table-vi\.md\)\nResults: \S*results\.json \(1 of 1 trials over 1 normal classes, /,
    );
    const resumed = await runCurvad(['experiment', 'one-class', '--config', configFile, '--backend', 'wasm', '--out', out, '--resume']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout.startsWith(tableVi)).toBe(true);
  });
});
