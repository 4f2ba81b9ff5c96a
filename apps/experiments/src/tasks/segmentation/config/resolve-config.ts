import { type ResolveConfigOptions, resolveTaskConfig } from '../../../core/config/resolve-task-config';
import { segmentationPresetInput } from './presets';
import { quickSegmentationConfig } from './quick';
import { parseSegmentationConfig, type SegmentationConfig } from './segmentation-config';

export type ResolveSegmentationConfigOptions = ResolveConfigOptions;

/** The segmentation config a command line describes (core's resolveTaskConfig with this task's presets, --quick and schema). */
export function resolveSegmentationConfig(options: ResolveSegmentationConfigOptions): SegmentationConfig {
  return resolveTaskConfig(options, {
    presetInput: segmentationPresetInput,
    quick: quickSegmentationConfig,
    parse: parseSegmentationConfig,
  });
}
