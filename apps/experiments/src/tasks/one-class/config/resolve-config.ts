import { type ResolveConfigOptions, resolveTaskConfig } from '../../../core/config/resolve-task-config';
import { type OneClassConfig, parseOneClassConfig } from './one-class-config';
import { oneClassPresetInput } from './presets';
import { quickOneClassConfig } from './quick';

export type ResolveOneClassConfigOptions = ResolveConfigOptions;

/** The one-class config a command line describes (core's resolveTaskConfig with the one-class presets, --quick and schema). */
export function resolveOneClassConfig(options: ResolveOneClassConfigOptions): OneClassConfig {
  return resolveTaskConfig(options, { presetInput: oneClassPresetInput, quick: quickOneClassConfig, parse: parseOneClassConfig });
}
