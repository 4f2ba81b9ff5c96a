import { applyConfigOverride, parseConfigOverride } from '../../../core/config/config-override';
import { mergeConfig } from '../../../core/config/merge-config';
import { ConfigError } from '../../../experiment-error';
import { type OodConfig, parseOodConfig } from './ood-config';
import { presetInput } from './presets';
import { quickConfig } from './quick';

export interface ResolveOodConfigOptions {
  /** A preset name: the base the file and the overrides go on. */
  preset?: string;
  /**
   * A config file's data (readConfigFile) and the name to show for it. With a preset it is laid over
   * the preset (objects merge key by key, arrays replace, null removes); alone it is the whole config.
   */
  file?: { label: string; data: Record<string, unknown> };
  /** Shrink to the smoke-test size (see quickConfig). */
  quick?: boolean;
  trials?: number;
  epochs?: number;
  /** `key.path=value` overrides, applied in order, last. */
  set?: readonly string[];
}

/**
 * The experiment config a command line describes, validated: the preset, the config file over it,
 * --quick, --trials and --epochs, then each --set. Every layer is plain data until the end, so
 * a --set may fix what the file leaves out; one validation names every problem, with the layers
 * it came from in the heading.
 */
export function resolveOodConfig(options: ResolveOodConfigOptions): OodConfig {
  if (options.preset === undefined && options.file === undefined) {
    throw new ConfigError('no experiment config: give a preset, a config file, or both (the file then overrides the preset).');
  }
  const overrides = (options.set ?? []).map(parseConfigOverride);
  let input: Record<string, unknown> = options.preset !== undefined ? (presetInput(options.preset) as Record<string, unknown>) : {};
  if (options.file) input = mergeConfig(input, options.file.data);
  if (options.quick) input = quickConfig(input);
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
  return parseOodConfig(input, sources.join(' + '));
}
