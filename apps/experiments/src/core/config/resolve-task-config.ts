// The config a command line describes, for any task: the preset, the config file over it, --quick,
// --trials and --epochs, then each --set. Every layer is plain data until the end, so a --set may fix
// what the file leaves out; one validation (the task's parse) names every problem, with the layers it
// came from in the heading.
import { ConfigError } from '../../experiment-error';
import { applyConfigOverride, parseConfigOverride } from './config-override';
import { mergeConfig } from './merge-config';

export interface ResolveConfigOptions {
  /** A preset name: the base the file and the overrides go on. */
  preset?: string;
  /**
   * A config file's data (readConfigFile) and the name to show for it. With a preset it is laid over
   * the preset (objects merge key by key, arrays replace, null removes); alone it is the whole config.
   */
  file?: { label: string; data: Record<string, unknown> };
  /** Shrink to the task's smoke-test size. */
  quick?: boolean;
  trials?: number;
  epochs?: number;
  /** `key.path=value` overrides, applied in order, last. */
  set?: readonly string[];
}

/** What a task gives the resolver: its presets, its --quick shrink and its validating parse. */
export interface TaskConfigParts<Config> {
  presetInput(name: string): unknown;
  quick(input: Record<string, unknown>): Record<string, unknown>;
  parse(input: unknown, source: string): Config;
}

export function resolveTaskConfig<Config>(options: ResolveConfigOptions, parts: TaskConfigParts<Config>): Config {
  if (options.preset === undefined && options.file === undefined) {
    throw new ConfigError('no experiment config: give a preset, a config file, or both (the file then overrides the preset).');
  }
  const overrides = (options.set ?? []).map(parseConfigOverride);
  let input: Record<string, unknown> = options.preset !== undefined ? (parts.presetInput(options.preset) as Record<string, unknown>) : {};
  if (options.file) input = mergeConfig(input, options.file.data);
  if (options.quick) input = parts.quick(input);
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
  return parts.parse(input, sources.join(' + '));
}
