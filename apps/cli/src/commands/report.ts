import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { cliCommand } from '../cli-invocation';
import { writeLine } from '../cli-io';
import { displayPath } from '../display-path';
import { EXIT_CODES } from '../exit-codes';
import { loadExperiments } from './experiment-ood';

const EXAMPLES = `
Examples:
  $ npx curvad report results/fmnist-mnist-quick-2026-11-29
  $ npx curvad report results/fmnist-mnist > tables.md
  $ npx curvad report /mnt/shared/fmnist-mnist --out fmnist-mnist-report
      the results folder is read-only: write the report elsewhere

Writes tables.md, tables.csv, plots/*.svg and report.html into DIR (or --out) from DIR/results.json
alone, prints the tables (stdout) and the report's path. A results.json with values out of range
(a metric of 7.5) or without a completed trial is refused with what is wrong (exit 2).`;

export interface ReportOptions {
  /** Folder to write the report into (default: the results folder itself). */
  out?: string;
  /** Throws when `folder` cannot be written (created if missing); tests inject a failing one. */
  probeWritable?: (folder: string) => Promise<void>;
}

/** Creates `folder` if needed and writes and removes a small file in it: the only sure writability test (root ignores mode bits). */
export async function probeWritable(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const probe = join(folder, `.curvad-write-check-${process.pid}`);
  await writeFile(probe, '');
  await rm(probe, { force: true });
}

const ERRNO_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
};

/** A filesystem error (a user or machine problem, not a bug) as its errno code, or null. */
function errnoCode(error: unknown): string | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code in ERRNO_REASONS ? code : null;
}

function unwritable(shown: string, code: string, dir: string, out: string | undefined): CliError {
  const reason = `${code}: ${ERRNO_REASONS[code]}`;
  if (out === undefined) {
    return new CliError(
      `cannot write the report into the results folder ${shown} (${reason}); write it elsewhere with --out, e.g. ${cliCommand(['report', dir, '--out', `${basename(resolve(dir))}-report`])}.`,
    );
  }
  return new CliError(`cannot write the report into --out ${shown} (${reason}); choose a folder you can write to.`);
}

export function registerReportCommand(program: Command, context: CliContext): void {
  program
    .command('report')
    .description('rebuild the tables and the HTML report of a results folder from its results.json')
    .argument('<dir>', 'results folder of a run (holds results.json)')
    .option('--out <dir>', 'write the report into this folder instead of <dir> (for a read-only results folder)')
    .addHelpText('after', EXAMPLES)
    .action(async (dir: string, options: { out?: string }) => {
      context.exitCode = await runReport(dir, context, options.out === undefined ? {} : { out: options.out });
    });
}

export async function runReport(dir: string, context: CliContext, options: ReportOptions = {}) {
  const { io } = context;
  const folder = resolve(io.cwd, dir);
  if (!existsSync(folder)) {
    throw new CliError(
      `no folder ${dir}; give the results folder of a run (npx curvad experiment ood prints it, e.g. results/<preset>-<date>).`,
    );
  }
  const experiments = await loadExperiments();
  // Read and validate first: a bad results.json is the first thing to hear about, and nothing is written.
  const results = await experiments.readResultsFile(join(folder, experiments.RESULTS_FILE), { requireCompletedTrial: true });
  const target = options.out === undefined ? folder : resolve(io.cwd, options.out);
  const shown = displayPath(io.cwd, target);
  const check = options.probeWritable ?? probeWritable;
  try {
    await check(target);
  } catch (error) {
    const code = errnoCode(error);
    if (code) throw unwritable(shown, code, dir, options.out);
    throw error;
  }
  let report: Awaited<ReturnType<typeof experiments.writeReport>>;
  try {
    report = await experiments.writeReport(target, results, { resultsDir: folder });
  } catch (error) {
    const code = errnoCode(error);
    if (code) throw unwritable(shown, code, dir, options.out);
    throw error;
  }
  writeLine(io.stdout, report.markdown.trimEnd());
  writeLine(io.stdout);
  writeLine(io.stdout, `Report: ${displayPath(io.cwd, join(target, 'report.html'))}`);
  return EXIT_CODES.ok;
}
