import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import type { CliContext } from '../cli-context';
import { writeLine } from '../cli-io';
import { displayPath } from '../display-path';
import { EXIT_CODES } from '../exit-codes';
import { loadExperiments } from './experiment-ood';

const EXAMPLES = `
Examples:
  $ curvad report results/fmnist-mnist-quick-2026-11-29
  $ curvad report results/fmnist-mnist > tables.md

Writes tables.md, tables.csv, plots/*.svg and report.html into DIR from DIR/results.json alone,
prints the tables (stdout) and the report's path.`;

export function registerReportCommand(program: Command, context: CliContext): void {
  program
    .command('report')
    .description('rebuild the tables and the HTML report of a results folder from its results.json')
    .argument('<dir>', 'results folder of a run (holds results.json)')
    .addHelpText('after', EXAMPLES)
    .action(async (dir: string) => {
      context.exitCode = await runReport(dir, context);
    });
}

export async function runReport(dir: string, context: CliContext) {
  const { io } = context;
  const folder = resolve(io.cwd, dir);
  if (!existsSync(folder)) {
    throw new CliError(`no folder ${dir}; give the results folder of a run (curvad experiment ood prints it, e.g. results/<preset>-<date>).`);
  }
  const experiments = await loadExperiments();
  const results = await experiments.readResultsFile(join(folder, experiments.RESULTS_FILE));
  const report = await experiments.writeReport(folder, results);
  writeLine(io.stdout, report.markdown.trimEnd());
  writeLine(io.stdout);
  writeLine(io.stdout, `Report: ${displayPath(io.cwd, join(folder, 'report.html'))}`);
  return EXIT_CODES.ok;
}
