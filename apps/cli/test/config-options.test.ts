import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatOodConfig, presetConfig, RESULTS_SCHEMA_VERSION } from '@curvad/experiments';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCli, runCurvad } from './run-curvad';

const root = mkdtempSync(join(tmpdir(), 'curvad-config-options-'));

beforeAll(() => {
  buildCli();
}, 240_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** No stack trace: no line of the form `    at fn (file:line:col)`. */
const hasStack = (text: string) => /^\s+at .+:\d+:\d+\)?$/m.test(text);

describe('experiment ood --config / --set / --print-config (the built command)', () => {
  test.concurrent('--print-config prints the resolved config, exit 0, no training; --config reads it back', async () => {
    const args = [
      'experiment',
      'ood',
      '--preset',
      'mnist-holdout',
      '--quick',
      '--set',
      'epochs=2',
      '--set',
      'models=["baseline","HiO"]',
      '--set',
      'learnCurvature=true',
      '--print-config',
    ];
    const json = await runCurvad(args, { cwd: root });
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const config = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(config).toMatchObject({
      name: 'mnist-holdout-quick',
      trials: 1,
      epochs: 2,
      models: ['baseline', 'HiO'],
      learnCurvature: true,
      poincareMode: 'clip',
    });
    writeFileSync(join(root, 'printed.json'), json.stdout);
    const fromJson = await runCurvad(['experiment', 'ood', '--config', 'printed.json', '--print-config'], { cwd: root });
    expect(fromJson).toMatchObject({ code: 0, stdout: json.stdout, stderr: '' });
  });

  test.concurrent('--config with a syntax error: the file, line and column, exit 2, no stack', async () => {
    writeFileSync(join(root, 'broken.json'), '{\n  "epochs": 2\n  "trials": 1\n}\n');
    const json = await runCurvad(['experiment', 'ood', '--preset', 'mnist-holdout', '--config', 'broken.json'], { cwd: root });
    expect(json.code).toBe(2);
    expect(json.stdout).toBe('');
    expect(json.stderr).toBe(
      "curvad: config file broken.json is not valid JSON (line 3, column 3: expected ',' or '}' after a value in an object, found \"\\\"\"); fix the file, or write the config as YAML (broken.yaml).\n",
    );
    expect(hasStack(json.stderr)).toBe(false);
  });

  test.concurrent('--set with a bad value: the path, the value and the choices, exit 2', async () => {
    const badValue = await runCurvad(['experiment', 'ood', '--preset', 'mnist-holdout', '--set', 'poincareMode=exp'], { cwd: root });
    expect(badValue).toMatchObject({ code: 2, stdout: '' });
    expect(badValue.stderr).toBe(
      'curvad: invalid experiment config (preset mnist-holdout + --set poincareMode=exp):\n  poincareMode: Invalid option: expected one of "clip"|"expmap0" (got "exp")\n',
    );
  });

  test.concurrent('--resume compares the resolved config: a --set that differs from the run is named, exit 2', async () => {
    const printed = formatOodConfig(presetConfig('mnist-holdout', { quick: true }));
    const run = join(root, 'earlier-run');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(root, 'run.json'), printed);
    const results = {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      experiment: 'mnist-holdout-quick',
      command: 'npx curvad experiment ood --config run.json --out earlier-run',
      config: JSON.parse(printed) as unknown,
      seeds: [0],
      backend: 'cpu',
      versions: {},
      gitCommit: null,
      startedAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      wallTimeSec: 0,
      complete: false,
      configurations: [],
    };
    writeFileSync(join(run, 'results.json'), JSON.stringify(results));
    const resumed = await runCurvad(
      [
        'experiment',
        'ood',
        '--config',
        'run.json',
        '--set',
        'epochs=3',
        '--set',
        'optimizer.learningRate=0.01',
        '--backend',
        'cpu',
        '--resume',
        '--out',
        'earlier-run',
      ],
      { cwd: root },
    );
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain(
      'holds a run made with another experiment config (epochs: 3 here, 1 in the run; optimizer.learningRate: 0.01 here, 0.002 in the run)',
    );
    expect(hasStack(resumed.stderr)).toBe(false);
  });
});
