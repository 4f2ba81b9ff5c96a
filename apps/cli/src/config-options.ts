import { resolve } from 'node:path';
import type { OodConfig } from '@curvad/experiments';
import { InvalidArgumentError } from 'commander';
import { CliError } from './cli-error';
import { cliCommand } from './cli-invocation';
import { displayPath } from './display-path';

type Experiments = typeof import('@curvad/experiments');

/** The options of `experiment ood` that say which config to run. */
export interface ConfigOptions {
  preset?: string;
  config?: string;
  set?: string[];
  quick?: boolean;
  trials?: number;
  epochs?: number;
}

const SET_EXAMPLE = '--set optimizer.learningRate=0.01';

/** Commander's collector for the repeatable `--set key.path=value` (the value is checked later, with the config). */
export function collectSet(value: string, previous: string[] | undefined): string[] {
  if (value.indexOf('=') <= 0)
    throw new InvalidArgumentError(`--set takes key.path=value, e.g. ${SET_EXAMPLE} or --set configurations.0.ood.1.count=500.`);
  return [...(previous ?? []), value];
}

/** The arguments that give the same config again (--preset, --config, --quick, --trials, --epochs, --set), for hints and the recorded command. */
export function configArgs(options: ConfigOptions): string[] {
  const args: string[] = [];
  if (options.preset !== undefined) args.push('--preset', options.preset);
  if (options.config !== undefined) args.push('--config', options.config);
  if (options.quick) args.push('--quick');
  if (options.trials !== undefined) args.push('--trials', String(options.trials));
  if (options.epochs !== undefined) args.push('--epochs', String(options.epochs));
  for (const set of options.set ?? []) args.push('--set', set);
  return args;
}

/** What differs between the tasks' config options: the command, its presets and its resolver. */
export interface TaskConfigOptions<Config> {
  /** The command after `experiment` ('ood', 'one-class'), for the help hint. */
  command: string;
  /** The task's word before "preset" / "config" in messages ('' for ood, 'one-class '). */
  kind: string;
  presets: readonly string[];
  resolve(options: ResolveConfigInput): Config;
}

/** The layers of a config as the experiments' resolvers take them. */
export interface ResolveConfigInput {
  preset?: string;
  file?: { label: string; data: Record<string, unknown> };
  quick: boolean;
  trials?: number;
  epochs?: number;
  set: readonly string[];
}

/**
 * The validated config the options describe, for any task: the preset, the --config file over it,
 * --quick, --trials, --epochs, then each --set. Bad values are ConfigErrors (exit 2).
 */
export async function resolveTaskConfigOptions<Config>(
  experiments: Experiments,
  options: ConfigOptions,
  cwd: string,
  task: TaskConfigOptions<Config>,
): Promise<Config> {
  const help = cliCommand(['experiment', task.command, '--help']);
  if (options.preset === undefined && options.config === undefined) {
    throw new CliError(
      `required option '--preset <name>' not specified: give --preset NAME (${help} lists them), --config FILE holding a whole ${task.kind}config, or both (the file then overrides the preset).`,
    );
  }
  if (options.preset !== undefined && !task.presets.includes(options.preset)) {
    throw new CliError(
      `unknown ${task.kind}preset '${options.preset}'. Choose one of: ${task.presets.join(', ')} (${help} describes them).`,
    );
  }
  let file: { label: string; data: Record<string, unknown> } | undefined;
  if (options.config !== undefined) {
    const path = resolve(cwd, options.config);
    const label = displayPath(cwd, path);
    file = { label, data: await experiments.readConfigFile(path, label) };
  }
  return task.resolve({
    ...(options.preset !== undefined ? { preset: options.preset } : {}),
    ...(file ? { file } : {}),
    quick: options.quick === true,
    ...(options.trials !== undefined ? { trials: options.trials } : {}),
    ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
    set: options.set ?? [],
  });
}

/** The validated OOD config the options describe (see resolveTaskConfigOptions). */
export function resolveConfigOptions(experiments: Experiments, options: ConfigOptions, cwd: string): Promise<OodConfig> {
  return resolveTaskConfigOptions(experiments, options, cwd, {
    command: 'ood',
    kind: '',
    presets: experiments.listPresets(),
    resolve: (input) => experiments.resolveOodConfig(input),
  });
}

/**
 * The name of the default results folder: the preset's (the CLI adds -quick), or for a config from a
 * file alone its `name` (which --quick has already suffixed), made safe as one folder name.
 */
export function runFolderName(options: ConfigOptions, config: Pick<OodConfig, 'name'>): { name: string; quick: boolean } {
  if (options.preset !== undefined) return { name: options.preset, quick: options.quick === true };
  const safe = config.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'experiment';
  return { name: safe, quick: false };
}
