import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { CliIo } from './cli-io';
import { runCli } from './run-cli';
import { versionText } from './version-text';

/** The CLI in this process, with captured output: parsing and validation need no child process. */
async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: '/nonexistent-cwd',
    interactive: false,
    now: () => 0,
  };
  const exits: number[] = [];
  const code = await runCli(args, io, (c) => exits.push(c));
  expect(exits).toEqual([]);
  return { code, stdout, stderr };
}

const hasStack = (text: string) => /^\s+at .+:\d+:\d+\)?$/m.test(text);

describe('runCli: --help of every command', () => {
  const commands: [string[], RegExp[]][] = [
    [
      ['--help'],
      [
        /Usage: curvad \[options\] \[command\]/,
        /experiment/,
        /report (\[options\] )?<dir>/,
        /datasets/,
        /Exit codes: 0 done, 1 unexpected error/,
      ],
    ],
    [
      ['experiment', '--help'],
      [/Usage: curvad experiment/, /ood/],
    ],
    [
      ['report', '--help'],
      [/Usage: curvad report \[options\] <dir>/, /report\.html/],
    ],
    [
      ['datasets', '--help'],
      [/list/, /fetch/],
    ],
    [
      ['datasets', 'list', '--help'],
      [/--json/, /CURVAD_DATA/],
    ],
    [
      ['datasets', 'fetch', '--help'],
      [/<name>/, /one of: fashion-mnist, mnist, cifar-10/, /--dir <dir>/, /--allow-unverified/, /--mirror <url>/],
    ],
    [['help', 'report'], [/Usage: curvad report/]],
  ];

  test.each(commands)('%j prints usage and examples, exit 0', async (args, patterns) => {
    const result = await run(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // Every example uses the one form that works without a global install (node_modules/.bin/curvad).
    expect(result.stdout).toMatch(/Examples( \(from the repository root, after npm run setup\))?:\n {2}\$ npx curvad /);
    expect(result.stdout).not.toMatch(/\$ curvad |\$\{/);
    for (const pattern of patterns) expect(result.stdout).toMatch(pattern);
  });

  test('--version prints the CLI version with the git commit it runs from, tfjs-core and node', async () => {
    const result = await run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    // The tests run in the repository's checkout, so the commit is known; it is the checkout's HEAD.
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: dirname(fileURLToPath(import.meta.url)) })
      .toString()
      .trim();
    const tfjs = (createRequire(import.meta.url)('@tensorflow/tfjs-core/package.json') as { version: string }).version;
    expect(result.stdout).toMatch(
      new RegExp(`^curvad \\d+\\.\\d+\\.\\d+ \\(@curvad/cli, git commit ${head}( with uncommitted changes)?\\)\n`),
    );
    expect(result.stdout.split('\n')[1]).toBe(`@tensorflow/tfjs-core ${tfjs}, node ${process.version}`);
  });

  test('--version outside a git checkout says so instead of a commit', () => {
    expect(versionText(null)).toMatch(/^curvad \d+\.\d+\.\d+ \(@curvad\/cli, not a git checkout\)\n@tensorflow\/tfjs-core \d/);
    expect(versionText({ commit: 'abc123def456', modified: true })).toContain(
      '(@curvad/cli, git commit abc123def456 with uncommitted changes)',
    );
  });

  test('no command: the help on stderr, exit 2', async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: curvad');
  });
});

describe('runCli: option errors are one message on stderr, exit 2, no stack', () => {
  const cases: [string[], string][] = [
    [
      ['experiment', 'ood', '--preset', 'mnist-holdout', '--trials', '0'],
      '--trials must be a whole number of at least 1 (e.g. --trials 3).',
    ],
    [
      ['experiment', 'ood', '--preset', 'mnist-holdout', '--trials', 'many'],
      '--trials must be a whole number of at least 1 (e.g. --trials 3).',
    ],
    [
      ['experiment', 'ood', '--preset', 'mnist-holdout', '--epochs', '1.5'],
      '--epochs must be a whole number of at least 1 (e.g. --epochs 2).',
    ],
    [
      ['experiment', 'ood', '--preset', 'mnist-holdout', '--backend', 'gpu'],
      "argument 'gpu' is invalid. Allowed choices are auto, wasm, cpu, tensorflow.",
    ],
    [['experiment', 'ood'], "required option '--preset <name>' not specified"],
    [['experiment', 'ood', '--preset', 'mnist-holdout', '--resume'], 'curvad: --resume needs --out DIR, the folder of the run to continue'],
    [['experiment', 'ood', '--preset', 'mnist-holdout', '--quikc'], "unknown option '--quikc'\n(Did you mean --quick?)"],
    [['experiments'], "unknown command 'experiments'"],
    [['datasets', 'fetch', 'cifar'], "curvad: unknown dataset 'cifar'. Choose one of: fashion-mnist, mnist, cifar-10"],
    [['datasets', 'fetch'], "missing required argument 'name'"],
    [['report'], "missing required argument 'dir'"],
    [['report', 'no-such-folder'], 'curvad: no folder no-such-folder; give the results folder of a run'],
  ];

  test.each(cases)('%j', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(hasStack(result.stderr)).toBe(false);
  });
});
