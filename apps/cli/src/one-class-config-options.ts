// `curvad experiment one-class`'s config options: the same --preset / --config / --set / --quick /
// --trials / --epochs handling as `experiment ood` (config-options.ts), resolved by the one-class task.
import type { OneClassConfig } from '@curvad/experiments';
import { type ConfigOptions, resolveTaskConfigOptions } from './config-options';

type Experiments = typeof import('@curvad/experiments');

/** The validated one-class config the options describe (bad values are ConfigErrors, exit 2). */
export function resolveOneClassConfigOptions(experiments: Experiments, options: ConfigOptions, cwd: string): Promise<OneClassConfig> {
  return resolveTaskConfigOptions(experiments, options, cwd, {
    command: 'one-class',
    kind: 'one-class ',
    presets: experiments.listOneClassPresets(),
    resolve: (input) => experiments.resolveOneClassConfig(input),
  });
}
