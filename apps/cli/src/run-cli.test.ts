import { describe, expect, test } from 'vitest';
import type { CliIo } from './cli-io';
import { runCli } from './run-cli';

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
    [['--help'], [/Usage: curvad \[options\] \[command\]/, /experiment/, /report <dir>/, /datasets/, /Exit codes: 0 done, 1 unexpected error/]],
    [['experiment', '--help'], [/Usage: curvad experiment/, /ood/]],
    [['report', '--help'], [/Usage: curvad report \[options\] <dir>/, /report\.html/]],
    [['datasets', '--help'], [/list/, /fetch/]],
    [['datasets', 'list', '--help'], [/--json/, /CURVAD_DATA/]],
    [['datasets', 'fetch', '--help'], [/<name>/, /one of: fashion-mnist, mnist, cifar-10/, /--dir <dir>/, /--allow-unverified/, /--mirror <url>/]],
    [['help', 'report'], [/Usage: curvad report/]],
  ];

  test.each(commands)('%j prints usage and examples, exit 0', async (args, patterns) => {
    const result = await run(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Examples:\n  $ curvad ');
    for (const pattern of patterns) expect(result.stdout).toMatch(pattern);
  });

  test('--version prints the package version', async () => {
    const result = await run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
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
    [['experiment', 'ood', '--preset', 'mnist-holdout', '--trials', '0'], '--trials must be a whole number of at least 1 (e.g. --trials 3).'],
    [['experiment', 'ood', '--preset', 'mnist-holdout', '--trials', 'many'], '--trials must be a whole number of at least 1 (e.g. --trials 3).'],
    [['experiment', 'ood', '--preset', 'mnist-holdout', '--epochs', '1.5'], '--epochs must be a whole number of at least 1 (e.g. --epochs 2).'],
    [['experiment', 'ood', '--preset', 'mnist-holdout', '--backend', 'gpu'], "argument 'gpu' is invalid. Allowed choices are auto, wasm, cpu, tensorflow."],
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
