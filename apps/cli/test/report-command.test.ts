import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { resultsFixture } from '../../experiments/src/core/report/results-fixture';
import type { CliContext } from '../src/cli-context';
import { CliError } from '../src/cli-error';
import type { CliIo } from '../src/cli-io';
import { runReport } from '../src/commands/report';
import { runCli } from '../src/run-cli';

// The experiments package from its sources (the CLI imports its dist at run time; no build needed here).
vi.mock('@curvad/experiments', () => import('../../experiments/src/index'));

const root = mkdtempSync(join(tmpdir(), 'curvad-report-command-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fakeIo() {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    cwd: root,
    interactive: false,
    now: () => 0,
  };
  return { io, out };
}

async function run(args: string[]) {
  const { io, out } = fakeIo();
  const code = await runCli(args, io, () => {
    throw new Error('exitNow called');
  });
  return { code, ...out };
}

/** The report fixture cut to two methods and one histogram (the CLI's part is tested, not the plots; faster). */
function smallFixture() {
  const results = resultsFixture();
  for (const trial of results.configurations[0]!.trials) {
    trial.methods = trial.methods.slice(0, 2);
    if (trial.plots) {
      trial.plots.roc = trial.plots.roc.filter((r) => r.method === 'MSP' || r.method === '+HiO');
      trial.plots.histograms = trial.plots.histograms.slice(0, 1);
    }
  }
  return results;
}

function resultsFolder(name: string, results: unknown = smallFixture()): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
  return dir;
}

const hasStack = (text: string) => /^\s+at .+:\d+:\d+\)?$/m.test(text);

describe('curvad report: refusals name what is wrong (exit 2, no stack, nothing written)', () => {
  test('an AUROC of 7.5 names configuration, trial, method, set, value and range', async () => {
    const results = resultsFixture();
    results.configurations[0]!.trials[0]!.methods[0]!.perOod.A!.auroc = 7.5;
    const dir = resultsFolder('percent', results);
    const result = await run(['report', 'percent']);
    expect(result.code).toBe(2);
    expect(hasStack(result.stderr)).toBe(false);
    expect(result.stderr).toContain(
      'configuration "main", trial 0, method "MSP", OOD set "A", auroc: is 7.5, outside the allowed range [0, 1]',
    );
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
    expect(result.stdout).toBe('');
  });

  test('no completed trial: exit 2 saying there is nothing to report (not headings and exit 0)', async () => {
    const results = resultsFixture();
    results.configurations[0]!.trials = [];
    const dir = resultsFolder('no-trials', results);
    const result = await run(['report', 'no-trials']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('holds no completed trial');
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });
});

describe('curvad report --out', () => {
  test('writes the report into --out and leaves the results folder as it was', async () => {
    const dir = resultsFolder('source');
    const result = await run(['report', 'source', '--out', 'elsewhere/report']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const file of ['report.html', 'tables.md', 'tables.csv'])
      expect(existsSync(join(root, 'elsewhere/report', file)), file).toBe(true);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
    expect(existsSync(join(dir, 'plots'))).toBe(false);
    expect(result.stdout).toContain(`Report: ${join('elsewhere', 'report', 'report.html')}`);
    expect(readFileSync(join(root, 'elsewhere/report/tables.md'), 'utf8')).toContain('| MSP |');
  }, 60_000);

  test('--out under a regular file: exit 2 naming the path and what to do, no stack', async () => {
    resultsFolder('source-2');
    writeFileSync(join(root, 'a-file'), 'not a folder');
    const result = await run(['report', 'source-2', '--out', 'a-file/report']);
    expect(result.code).toBe(2);
    expect(hasStack(result.stderr)).toBe(false);
    expect(result.stderr).toContain(
      `cannot write the report into --out ${join('a-file', 'report')} (ENOTDIR: a part of the path is a file, not a folder); choose a folder you can write to.`,
    );
    expect(result.stderr).not.toContain('bug');
  });

  test('a read-only results folder without --out: one sentence naming the folder and suggesting --out', async () => {
    // Root ignores permission bits, so the read-only folder is simulated by the write check.
    const dir = resultsFolder('read-only');
    const { io } = fakeIo();
    const context: CliContext = { io, args: [], exitCode: 0, exitNow: () => undefined };
    const readOnly = async (folder: string) => {
      expect(folder).toBe(dir);
      throw Object.assign(new Error(`EROFS: read-only file system, open '${folder}/x'`), { code: 'EROFS' });
    };
    const error = await runReport('read-only', context, { probeWritable: readOnly }).catch((e: unknown) => e);
    expect(CliError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'cannot write the report into the results folder read-only (EROFS: read-only file system); write it elsewhere with --out, e.g. npx curvad report read-only --out read-only-report.',
    );
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });

  test('the default write check really writes: it fails under a regular file', async () => {
    const { probeWritable } = await import('../src/commands/report');
    await expect(probeWritable(join(root, 'a-file-2', 'x'))).resolves.toBeUndefined();
    writeFileSync(join(root, 'plain-file'), '');
    await expect(probeWritable(join(root, 'plain-file', 'x'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    expect(existsSync(join(root, 'a-file-2', 'x', `.curvad-write-check-${process.pid}`))).toBe(false);
  });
});
