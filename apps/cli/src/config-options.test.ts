import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatOodConfig, type OodConfig } from '@curvad/experiments';
import { InvalidArgumentError } from 'commander';
import { afterAll, describe, expect, test } from 'vitest';
import type { CliIo } from './cli-io';
import { resumeCommand, runCommand } from './commands/experiment-ood';
import { collectSet, configArgs, runFolderName } from './config-options';
import { runCli } from './run-cli';

const root = mkdtempSync(join(tmpdir(), 'curvad-config-options-unit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `curvad experiment ood ...args` in this process, in `root`, with captured output (no training: every case stops at the config). */
async function experimentOod(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: root,
    interactive: false,
    now: () => 0,
  };
  const code = await runCli(['experiment', 'ood', ...args], io, () => {
    throw new Error('exitNow was called');
  });
  return { code, stdout, stderr };
}

describe('config options of experiment ood', () => {
  test('--set collects every override in order; one without key=value is refused with an example', () => {
    expect(collectSet('epochs=2', undefined)).toEqual(['epochs=2']);
    expect(collectSet('models=["HiO"]', ['epochs=2'])).toEqual(['epochs=2', 'models=["HiO"]']);
    for (const bad of ['epochs', '=2', '']) {
      expect(() => collectSet(bad, undefined)).toThrow(InvalidArgumentError);
      expect(() => collectSet(bad, undefined)).toThrow(
        '--set takes key.path=value, e.g. --set optimizer.learningRate=0.01 or --set configurations.0.ood.1.count=500.',
      );
    }
  });

  test('the hint commands carry --config and every --set, so --resume resolves the same config', () => {
    const options = {
      preset: 'fmnist-mnist',
      config: 'my run.yaml',
      set: ['models=["baseline","HiO"]', 'epochs=2'],
      quick: true,
      backend: 'auto' as const,
    };
    expect(configArgs(options)).toEqual([
      '--preset',
      'fmnist-mnist',
      '--config',
      'my run.yaml',
      '--quick',
      '--set',
      'models=["baseline","HiO"]',
      '--set',
      'epochs=2',
    ]);
    expect(resumeCommand(options, 'results/x')).toBe(
      `npx curvad experiment ood --preset fmnist-mnist --config 'my run.yaml' --quick --set 'models=["baseline","HiO"]' --set epochs=2 --resume --out results/x`,
    );
    expect(runCommand({ config: 'run.json', backend: 'cpu' }, 'out', false)).toBe(
      'npx curvad experiment ood --config run.json --backend cpu --out out',
    );
  });

  test("the default results folder: the preset (+ -quick), or a file-only config's name made one safe folder name", () => {
    const named = (name: string) => ({ name }) as OodConfig;
    expect(runFolderName({ preset: 'fmnist-mnist', quick: true, config: 'x.json' }, named('other'))).toEqual({
      name: 'fmnist-mnist',
      quick: true,
    });
    expect(runFolderName({ config: 'x.json', quick: true }, named('my-run-quick'))).toEqual({ name: 'my-run-quick', quick: false });
    expect(runFolderName({ config: 'x.json' }, named('../My Run/2'))).toEqual({ name: 'My-Run-2', quick: false });
    expect(runFolderName({ config: 'x.json' }, named('..'))).toEqual({ name: 'experiment', quick: false });
  });
});

describe('experiment ood with config options (in process)', () => {
  test('--print-config output written as YAML is read back by --config as the same config', async () => {
    const printed = await experimentOod('--preset', 'mnist-holdout', '--quick', '--set', 'mlr.gio=ganea', '--print-config');
    expect(printed).toMatchObject({ code: 0, stderr: '' });
    writeFileSync(join(root, 'printed.yaml'), formatOodConfig(JSON.parse(printed.stdout) as OodConfig, 'yaml'));
    expect(await experimentOod('--config', 'printed.yaml', '--print-config')).toEqual(printed);
  });

  test('a YAML syntax error, an unknown key, a bad index, a --set without =, no config: one message each, exit 2', async () => {
    writeFileSync(join(root, 'broken.yaml'), 'epochs: 2\noptimizer:\n  learningRate: 0.01\n name: sgd\n');
    writeFileSync(join(root, 'unknown-key.yaml'), 'optimizer:\n  lr: 0.1\n');
    const cases: [string[], string][] = [
      [
        ['--preset', 'mnist-holdout', '--config', 'broken.yaml'],
        'curvad: config file broken.yaml is not valid YAML (line 4, column 1: All mapping items must start at the same column); fix the file.\n',
      ],
      [
        ['--preset', 'mnist-holdout', '--config', 'unknown-key.yaml', '--print-config'],
        "curvad: invalid experiment config (preset mnist-holdout + unknown-key.yaml):\n  optimizer: unknown key 'lr'; allowed keys: name, learningRate, momentum, milestones, gamma\n",
      ],
      [
        ['--preset', 'mnist-holdout', '--set', 'configurations.3.name=x'],
        "curvad: --set 'configurations.3.name=x': configurations has 1 element, so its index must be 0 to 0 (or 1 to append one), got 3.\n",
      ],
      [['--config', 'missing.json'], 'curvad: config file missing.json does not exist; give the path of a .json or .yaml config file.\n'],
      [
        ['--quick'],
        "curvad: required option '--preset <name>' not specified: give --preset NAME (npx curvad experiment ood --help lists them), --config FILE holding a whole config, or both (the file then overrides the preset).\n",
      ],
    ];
    for (const [args, message] of cases) expect(await experimentOod(...args)).toEqual({ code: 2, stdout: '', stderr: message });
    const noEquals = await experimentOod('--preset', 'mnist-holdout', '--set', 'epochs');
    expect(noEquals.code).toBe(2);
    expect(noEquals.stderr).toContain(
      "error: option '--set <key=value>' argument 'epochs' is invalid. --set takes key.path=value, e.g. --set optimizer.learningRate=0.01",
    );
  });
});
