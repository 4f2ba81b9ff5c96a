import { applyConfigOverride, parseConfigOverride } from '../../../core/config/config-override';
import { mergeConfig } from '../../../core/config/merge-config';
import { ConfigError } from '../../../experiment-error';
import { type OneClassConfig, parseOneClassConfig } from './one-class-config';
import { oneClassPresetInput } from './presets';
import { quickOneClassConfig } from './quick';

export interface ResolveOneClassConfigOptions {
  /** A preset name: the base the file and the overrides go on. */
  preset?: string;
  /** A config file's data (readConfigFile) and its name; over the preset, or alone the whole config. */
  file?: { label: string; data: Record<string, unknown> };
  quick?: boolean;
  trials?: number;
  epochs?: number;
  /** `key.path=value` overrides, applied in order, last. */
  set?: readonly string[];
}

/**
 * The one-class config a command line describes, in the OOD task's order: the preset, the config
 * file over it, --quick, --trials / --epochs, then each --set; validated once, the heading naming
 * every layer.
 */
export function resolveOneClassConfig(options: ResolveOneClassConfigOptions): OneClassConfig {
  if (options.preset === undefined && options.file === undefined) {
    throw new ConfigError('no experiment config: give a preset, a config file, or both (the file then overrides the preset).');
  }
  const overrides = (options.set ?? []).map(parseConfigOverride);
  let input: Record<string, unknown> = options.preset !== undefined ? (oneClassPresetInput(options.preset) as Record<string, unknown>) : {};
  if (options.file) input = mergeConfig(input, options.file.data);
  if (options.quick) input = quickOneClassConfig(input);
  if (options.trials !== undefined) input.trials = options.trials;
  if (options.epochs !== undefined) input.epochs = options.epochs;
  for (const override of overrides) applyConfigOverride(input, override);
  const sources = [
    ...(options.preset !== undefined ? [`preset ${options.preset}`] : []),
    ...(options.file ? [options.file.label] : []),
    ...(options.quick ? ['--quick'] : []),
    ...(options.trials !== undefined ? [`--trials ${options.trials}`] : []),
    ...(options.epochs !== undefined ? [`--epochs ${options.epochs}`] : []),
    ...overrides.map((o) => `--set ${o.text}`),
  ];
  return parseOneClassConfig(input, sources.join(' + '));
}
