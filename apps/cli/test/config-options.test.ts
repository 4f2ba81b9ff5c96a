import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatOodConfig, RESULTS_SCHEMA_VERSION, type OodConfig } from '@curvad/experiments';
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
  test.concurrent('--print-config prints the resolved config, exit 0, no training; --config reads it back (also as YAML)', async () => {
    const args = ['experiment', 'ood', '--preset', 'mnist-holdout', '--quick', '--set', 'epochs=2', '--set', 'models=["baseline","HiO"]', '--set', 'learnCurvature=true', '--print-config'];
    const json = await runCurvad(args, { cwd: root });
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const config = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(config).toMatchObject({ name: 'mnist-holdout-quick', trials: 1, epochs: 2, models: ['baseline', 'HiO'], learnCurvature: true, poincareMode: 'clip' });
    writeFileSync(join(root, 'printed.json'), json.stdout);
    writeFileSync(join(root, 'printed.yaml'), formatOodConfig(config as OodConfig, 'yaml'));
    const [fromJson, fromYaml] = await Promise.all([
      runCurvad(['experiment', 'ood', '--config', 'printed.json', '--print-config'], { cwd: root }),
      runCurvad(['experiment', 'ood', '--config', 'printed.yaml', '--print-config'], { cwd: root }),
    ]);
    expect(fromJson).toMatchObject({ code: 0, stdout: json.stdout, stderr: '' });
    expect(fromYaml).toMatchObject({ code: 0, stdout: json.stdout, stderr: '' });
  });

  test.concurrent('a config file with a syntax error: the file, line and column, exit 2, no stack', async () => {
    writeFileSync(join(root, 'broken.json'), '{\n  "epochs": 2\n  "trials": 1\n}\n');
    writeFileSync(join(root, 'broken.yaml'), 'epochs: 2\noptimizer:\n  learningRate: 0.01\n name: sgd\n');
    const [json, yaml] = await Promise.all([
      runCurvad(['experiment', 'ood', '--preset', 'mnist-holdout', '--config', 'broken.json'], { cwd: root }),
      runCurvad(['experiment', 'ood', '--preset', 'mnist-holdout', '--config', 'broken.yaml', '--print-config'], { cwd: root }),
    ]);
    expect(json.code).toBe(2);
    expect(json.stdout).toBe('');
    expect(json.stderr).toBe(
      "curvad: config file broken.json is not valid JSON (line 3, column 3: expected ',' or '}' after a value in an object, found \"\\\"\"); fix the file, or write the config as YAML (broken.yaml).\n",
    );
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toBe('curvad: config file broken.yaml is not valid YAML (line 4, column 1: All mapping items must start at the same column); fix the file.\n');
    expect(hasStack(json.stderr + yaml.stderr)).toBe(false);
  });

  test.concurrent('an unknown key, a bad value, a bad --set and no config at all: one clear message each, exit 2', async () => {
    writeFileSync(join(root, 'unknown-key.yaml'), 'optimizer:\n  lr: 0.1\n');
    const [unknownKey, badValue, badIndex, badSet, none] = await Promise.all([
      runCurvad(['experiment', 'ood', '--preset', 'mnist-holdout', '--config', 'unknown-key.yaml'], { cwd: root }),
      runCurvad(['experiment', 'ood', '--preset', 'mnist-holdout', '--set', 'poincareMode=exp'], { cwd: root }),
      runCurvad(['experiment', 'ood', '--preset', 'mnist-holdout', '--set', 'configurations.3.name=x', '--print-config'], { cwd: root }),
      runCurvad(['experiment', 'ood', '--preset', 'mnist-holdout', '--set', 'epochs'], { cwd: root }),
      runCurvad(['experiment', 'ood', '--quick'], { cwd: root }),
    ]);
    expect(unknownKey).toMatchObject({ code: 2, stdout: '' });
    expect(unknownKey.stderr).toBe(
      "curvad: invalid experiment config (preset mnist-holdout + unknown-key.yaml):\n  optimizer: unknown key 'lr'; allowed keys: name, learningRate, momentum, milestones, gamma\n",
    );
    expect(badValue).toMatchObject({ code: 2, stdout: '' });
    expect(badValue.stderr).toBe(
      'curvad: invalid experiment config (preset mnist-holdout + --set poincareMode=exp):\n  poincareMode: Invalid option: expected one of "clip"|"expmap0" (got "exp")\n',
    );
    expect(badIndex).toMatchObject({ code: 2, stdout: '' });
    expect(badIndex.stderr).toBe("curvad: --set 'configurations.3.name=x': configurations has 1 element, so its index must be 0 to 0 (or 1 to append one), got 3.\n");
    expect(badSet.code).toBe(2);
    expect(badSet.stderr).toContain("error: option '--set <key=value>' argument 'epochs' is invalid. --set takes key.path=value, e.g. --set optimizer.learningRate=0.01");
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(
      "curvad: required option '--preset <name>' not specified: give --preset NAME (npx curvad experiment ood --help lists them), --config FILE holding a whole config, or both (the file then overrides the preset).\n",
    );
    expect(hasStack(unknownKey.stderr + badValue.stderr + badIndex.stderr + badSet.stderr + none.stderr)).toBe(false);
  });

  test.concurrent('--resume compares the resolved config: a --set that differs from the run is named, exit 2', async () => {
    const printed = await runCurvad(['experiment', 'ood', '--preset', 'mnist-holdout', '--quick', '--print-config'], { cwd: root });
    expect(printed.code).toBe(0);
    const run = join(root, 'earlier-run');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(root, 'run.json'), printed.stdout);
    const results = {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      experiment: 'mnist-holdout-quick',
      command: 'npx curvad experiment ood --config run.json --out earlier-run',
      config: JSON.parse(printed.stdout) as unknown,
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
    const resumed = await runCurvad(['experiment', 'ood', '--config', 'run.json', '--set', 'epochs=3', '--set', 'optimizer.learningRate=0.01', '--backend', 'cpu', '--resume', '--out', 'earlier-run'], { cwd: root });
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain('holds a run made with another experiment config (epochs: 3 here, 1 in the run; optimizer.learningRate: 0.01 here, 0.002 in the run)');
    expect(hasStack(resumed.stderr)).toBe(false);
  });
});
