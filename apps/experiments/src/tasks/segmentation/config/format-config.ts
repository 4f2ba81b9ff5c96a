import { stringify } from 'yaml';
import type { ConfigFormat } from '../../../core/config/config-file';
import type { SegmentationConfig } from './segmentation-config';

/** A resolved config as a config file's text (--print-config): every field, so `--config FILE` alone reproduces it. */
export function formatSegmentationConfig(config: SegmentationConfig, format: ConfigFormat = 'json'): string {
  return format === 'json' ? `${JSON.stringify(config, null, 2)}\n` : stringify(config, { lineWidth: 0 });
}
