import { type ResolveConfigOptions, resolveTaskConfig } from '../../../core/config/resolve-task-config';
import { type OodConfig, parseOodConfig } from './ood-config';
import { presetInput } from './presets';
import { quickConfig } from './quick';

export type ResolveOodConfigOptions = ResolveConfigOptions;

/** The OOD config a command line describes (core's resolveTaskConfig with the OOD presets, --quick and schema). */
export function resolveOodConfig(options: ResolveOodConfigOptions): OodConfig {
  return resolveTaskConfig(options, { presetInput, quick: quickConfig, parse: parseOodConfig });
}
