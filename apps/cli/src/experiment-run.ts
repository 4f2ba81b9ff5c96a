// What every `curvad experiment <task>` does once its options are parsed: resolve the config (or
// print it), choose the results folder, check --resume and --queue before anything is written, pick
// the backend, run the task (here or through the queue) under Ctrl-C handling, then print the
// tables, say where the results are and choose the exit code. A task gives only what differs.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ResultsFile, RunOptions, RunResult } from '@curvad/experiments';
import type { CliContext } from './cli-context';
import { CliError } from './cli-error';
import { cliCommand } from './cli-invocation';
import { writeLine } from './cli-io';
import { type ConfigOptions, configArgs, runFolderName } from './config-options';
import { defaultOutDir } from './default-out-dir';
import { displayPath } from './display-path';
import { EXIT_CODES, type ExitCode } from './exit-codes';
import { handleInterrupts } from './interrupt';
import type { BackendOption } from './option-parsers';
import { createReporter, type StoppableReporter } from './progress/create-reporter';
import { formatDuration } from './progress/format-duration';
import { readSavedProgress, savedSummary, stoppedAtOnceMessage } from './saved-progress';
import { packageVersions } from './versions';

export type Experiments = typeof import('@curvad/experiments');

/** The experiments package loads tfjs and vega; it is imported only by the commands that need it. */
export function loadExperiments(): Promise<Experiments> {
  return import('@curvad/experiments');
}

/** The options every `experiment <task>` command takes. */
export interface ExperimentRunOptions extends ConfigOptions {
  /** Print the resolved config (JSON) and exit without training. */
  printConfig?: boolean;
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

/** The fields of a resolved config this module reads. */
interface TaskConfig {
  name: string;
  trials: number;
}

/** What differs between the tasks' commands. */
export interface ExperimentTaskCommand<Config extends TaskConfig> {
  /** The word after `experiment` ('ood', 'one-class'). */
  command: string;
  resolveConfig(experiments: Experiments, options: ExperimentRunOptions, cwd: string): Promise<Config>;
  /** The resolved config as --print-config prints it (JSON). */
  formatConfig(experiments: Experiments, config: Config): string;
  /** The run's size for the first line, e.g. `2 configuration(s), 4 models, 2 epoch(s), 3 trial(s)`. */
  describeRun(config: Config): string;
  /** How many configurations (trials in all = config.trials times this). */
  configurationCount(config: Config): number;
  /** What follows `N of M trials` in the results line, e.g. ` over 3 configurations` (or ''). */
  trialsOver(config: Config): string;
  run(experiments: Experiments, options: RunOptions<Config>): Promise<RunResult>;
  /** What follows the report.html path, e.g. ` (Table VI: DIR/table-vi.md)` (or ''). */
  reportNote(experiments: Experiments, shownOut: string): string;
}

/** This run's command with --out DIR: with --resume it continues the run, without it starts one there. */
export function experimentCommand(command: string, options: ExperimentRunOptions, outDir: string, resume: boolean): string {
  const args = ['experiment', command, ...configArgs(options)];
  if (options.backend !== 'auto') args.push('--backend', options.backend);
  if (options.queue !== undefined) args.push('--queue', options.queue);
  if (options.attempts !== undefined) args.push('--attempts', String(options.attempts));
  if (options.retrySeconds !== undefined) args.push('--retry-seconds', String(options.retrySeconds));
  if (resume) args.push('--resume');
  args.push('--out', outDir);
  return cliCommand(args);
}

function trialCounts(results: ResultsFile, total: number, over: string) {
  const trials = results.configurations.flatMap((c) => c.trials);
  const completed = trials.filter((t) => t.status === 'completed').length;
  return { completed, failed: trials.filter((t) => t.status === 'failed').length, total, text: `${completed} of ${total} trials${over}` };
}

/** Runs one `experiment <task>` invocation to its exit code (user mistakes are thrown as CliErrors or the package's errors). */
export async function runTaskExperiment<Config extends TaskConfig>(
  task: ExperimentTaskCommand<Config>,
  options: ExperimentRunOptions,
  context: CliContext,
): Promise<ExitCode> {
  const { io } = context;
  if (options.resume && options.out === undefined && !options.printConfig) {
    throw new CliError('--resume needs --out DIR, the folder of the run to continue (the one holding its results.json).');
  }
  const experiments = await loadExperiments();
  const config = await task.resolveConfig(experiments, options, io.cwd);
  if (options.printConfig) {
    writeLine(io.stdout, task.formatConfig(experiments, config).trimEnd());
    return EXIT_CODES.ok;
  }
  const folder = runFolderName(options, config);
  const outDir =
    options.out !== undefined
      ? resolve(io.cwd, options.out)
      : defaultOutDir(io.cwd, folder.name, folder.quick, new Date(), experiments.RESULTS_FILE);
  const shownOut = displayPath(io.cwd, outDir);
  const resumeHint = experimentCommand(task.command, options, shownOut, true);
  const restartHint = experimentCommand(task.command, options, shownOut, false);
  if (options.resume && !existsSync(join(outDir, experiments.RESULTS_FILE)) && !existsSync(join(outDir, experiments.UNITS_DIR))) {
    const holds = existsSync(outDir) ? `holds no ${experiments.RESULTS_FILE}` : 'does not exist';
    throw new CliError(
      `--resume: ${shownOut} ${holds}, so there is no run to continue there (give the folder of an earlier run). To start a new run in it, drop --resume: ${restartHint}`,
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
  writeLine(io.stderr, `${config.name}: ${task.describeRun(config)}; results in ${shownOut}`);

  const totalTrials = config.trials * task.configurationCount(config);
  const controller = new AbortController();
  let reporter: StoppableReporter | null = null;
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
      writeLine(
        io.stderr,
        `\n${stoppedAtOnceMessage(progress, reporter?.unitCounts() ?? null, { outDir: shownOut, totalTrials }, { resume: resumeHint, restart: restartHint })}`,
      );
      context.exitNow(EXIT_CODES.interrupted);
    },
  });
  reporter = createReporter(io);
  const started = io.now();
  let run: RunResult;
  try {
    run = await task.run(experiments, {
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

  const counts = trialCounts(run.results, totalTrials, task.trialsOver(config));
  const units = reporter.unitCounts();
  if (counts.completed > 0 && run.markdown) writeLine(io.stdout, run.markdown.trimEnd());
  writeLine(io.stdout);
  if (run.reportFiles.length > 0)
    writeLine(io.stdout, `Report:  ${join(shownOut, 'report.html')}${task.reportNote(experiments, shownOut)}`);
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
