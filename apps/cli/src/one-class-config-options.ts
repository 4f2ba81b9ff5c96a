// `curvad experiment one-class`'s config options: the same --preset / --config / --set / --quick /
// --trials / --epochs handling as `experiment ood` (config-options.ts: collectSet, configArgs,
// runFolderName), resolved by the one-class task of @curvad/experiments.
import { resolve } from 'node:path';
import type { OneClassConfig } from '@curvad/experiments';
import { CliError } from './cli-error';
import { cliCommand } from './cli-invocation';
import type { ConfigOptions } from './config-options';
import { displayPath } from './display-path';

type Experiments = typeof import('@curvad/experiments');

/** The validated one-class config the options describe (bad values are ConfigErrors, exit 2). */
export async function resolveOneClassConfigOptions(experiments: Experiments, options: ConfigOptions, cwd: string): Promise<OneClassConfig> {
  const help = cliCommand(['experiment', 'one-class', '--help']);
  if (options.preset === undefined && options.config === undefined) {
    throw new CliError(
      `required option '--preset <name>' not specified: give --preset NAME (${help} lists them), --config FILE holding a whole one-class config, or both (the file then overrides the preset).`,
    );
  }
  const presets = experiments.listOneClassPresets();
  if (options.preset !== undefined && !presets.includes(options.preset)) {
    throw new CliError(`unknown one-class preset '${options.preset}'. Choose one of: ${presets.join(', ')} (${help} describes them).`);
  }
  let file: { label: string; data: Record<string, unknown> } | undefined;
  if (options.config !== undefined) {
    const path = resolve(cwd, options.config);
    const label = displayPath(cwd, path);
    file = { label, data: await experiments.readConfigFile(path, label) };
  }
  return experiments.resolveOneClassConfig({
    ...(options.preset !== undefined ? { preset: options.preset } : {}),
    ...(file ? { file } : {}),
    quick: options.quick === true,
    ...(options.trials !== undefined ? { trials: options.trials } : {}),
    ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
    set: options.set ?? [],
  });
}
