// The config a configuration's models are built, trained and scored with: the experiment config with
// the configuration's own model settings laid over it (an ablation as configurations of one preset).
import { ExperimentError } from '../../../experiment-error';
import type { OodConfig } from './ood-config';

/**
 * `config` with the model settings of configuration `name` applied (a new object; `config` when the
 * configuration has none). `curvatures` merge per model; every other setting replaces the config's.
 */
export function configurationConfig(config: OodConfig, name: string): OodConfig {
  const configuration = config.configurations.find((c) => c.name === name);
  if (!configuration) {
    throw new ExperimentError(
      `the config has no configuration '${name}' (its configurations: ${config.configurations.map((c) => c.name).join(', ')}).`,
    );
  }
  const settings = configuration.settings;
  if (!settings) return config;
  const { curvatures, ...rest } = settings;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  return { ...config, ...defined, curvatures: { ...config.curvatures, ...curvatures } } as OodConfig;
}
