import { type ResolveConfigOptions, resolveTaskConfig } from '../../../core/config/resolve-task-config';
import { type PatchSvddConfig, parsePatchSvddConfig } from './patch-svdd-config';
import { patchSvddPresetInput } from './presets';
import { quickPatchSvddConfig } from './quick';

export type ResolvePatchSvddConfigOptions = ResolveConfigOptions;

/** The patch-svdd config a command line describes (core's resolveTaskConfig with this task's presets, --quick and schema). */
export function resolvePatchSvddConfig(options: ResolvePatchSvddConfigOptions): PatchSvddConfig {
  return resolveTaskConfig(options, { presetInput: patchSvddPresetInput, quick: quickPatchSvddConfig, parse: parsePatchSvddConfig });
}
