import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { writeLine } from '../cli-io';
import { displayPath } from '../display-path';
import { EXIT_CODES } from '../exit-codes';
import { handleInterrupts } from '../interrupt';
import { BACKEND_CHOICES, type BackendOption } from '../option-parsers';
import { loadExperiments } from './experiment-ood';

export interface RescoreCommandOptions {
  methods?: string[];
  backend: BackendOption;
}

/** Filled in before `rescore --help` is printed (the list lives in @curvad/experiments, which loads tfjs). */
let detectorLines: string[] | null = null;

async function loadDetectorLines(): Promise<void> {
  if (detectorLines) return;
  detectorLines = (await loadExperiments()).describeDetectors();
}

const EXAMPLES = `
Examples:
  $ npx curvad rescore results/fmnist-mnist --methods maxlogit,energy
      add two detectors to a finished run, from its saved models
  $ npx curvad rescore results/fmnist-mnist --methods knn,mahalanobis
      add KNN and Mahalanobis on every model's backbone feature, fitted on the ID training set
  $ npx curvad rescore results/fmnist-mnist
      recompute the run's own detectors (msp, odin, geometric, ...)

Loads the trained model of every (configuration, trial, model) unit saved in DIR/units, scores the ID
test set and the OOD sets again with the detectors named (the rows of the other detectors are kept),
and rewrites DIR/results.json, DIR/scores and the report. Nothing is trained.`;

/** `--methods a,b`: the detector names, each trimmed; empty entries dropped. */
function methodList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function registerRescoreCommand(program: Command, context: CliContext): void {
  program.hook('preSubcommand', async (_program, sub) => {
    if (sub.name() === 'rescore' && (context.args.includes('--help') || context.args.includes('-h'))) await loadDetectorLines();
  });
  program
    .command('rescore')
    .description(
      're-score the saved models of a run with score methods (all of its own, or the ones named); no training; rewrites results.json, scores and the report',
    )
    .argument('<dir>', 'results folder of a run (holds units/ with the saved models)')
    .option('--methods <names>', "comma-separated detectors to compute (default: the run's own); see the list below", methodList)
    .addOption(
      new Option('--backend <name>', 'tfjs backend; auto picks tfjs-node-gpu > tfjs-node > wasm > cpu')
        .choices(BACKEND_CHOICES)
        .default('auto'),
    )
    .addHelpText(
      'after',
      () =>
        `\nDetectors (--methods):\n${(detectorLines ?? ['(run npx curvad rescore --help to list them)']).map((l) => `  ${l}`).join('\n')}\n${EXAMPLES}`,
    )
    .action(async (dir: string, options: RescoreCommandOptions) => {
      context.exitCode = await runRescore(dir, options, context);
    });
}

export async function runRescore(dir: string, options: RescoreCommandOptions, context: CliContext) {
  const { io } = context;
  const folder = resolve(io.cwd, dir);
  if (!existsSync(folder)) {
    throw new CliError(`no folder ${dir}; give the results folder of a run (the --out of npx curvad experiment ood).`);
  }
  const experiments = await loadExperiments();
  const known: readonly string[] = experiments.DETECTOR_NAMES;
  if (options.methods !== undefined) {
    const unknown = options.methods.filter((m) => !known.includes(m));
    if (unknown.length > 0 || options.methods.length === 0) {
      const what = unknown.length > 0 ? `unknown method ${unknown.map((m) => `'${m}'`).join(', ')}` : '--methods names no method';
      throw new CliError(`${what}. Choose from:\n  ${experiments.describeDetectors().join('\n  ')}`);
    }
  }
  const { initBackend } = await import('@curvad/runtime');
  const choice = await initBackend({ backend: options.backend, log: false });
  writeLine(io.stderr, choice.summary);

  const controller = new AbortController();
  const removeHandler = handleInterrupts(controller, {
    onFirst: () => writeLine(io.stderr, 'Ctrl-C: stopping after the current model (press Ctrl-C again to quit at once).'),
    onSecond: () => context.exitNow(EXIT_CODES.interrupted),
  });
  let run: Awaited<ReturnType<(typeof experiments)['rescoreRun']>>;
  try {
    run = await experiments.rescoreRun({
      outDir: folder,
      ...(options.methods !== undefined ? { detectors: options.methods } : {}),
      signal: controller.signal,
      reporter: {
        log: (message) => writeLine(io.stderr, message),
        onUnitStart: (u) => writeLine(io.stderr, `rescoring ${u.configuration} trial ${u.trial} ${u.model} (${u.index + 1} of ${u.count})`),
      },
    });
  } finally {
    removeHandler();
  }
  const shown = displayPath(io.cwd, folder);
  writeLine(io.stdout, `Rescored ${run.rescored} saved model(s) in ${shown}; results: ${join(shown, experiments.RESULTS_FILE)}`);
  if (run.reportFiles.length > 0) writeLine(io.stdout, `Report:  ${join(shown, 'report.html')}`);
  if (run.interrupted) {
    writeLine(
      io.stderr,
      `Interrupted: ${run.rescored} model(s) were rescored and saved; run the same command again to rescore all of them.`,
    );
    return EXIT_CODES.interrupted;
  }
  return EXIT_CODES.ok;
}
