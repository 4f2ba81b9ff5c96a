import { stringify } from 'yaml';
import type { ConfigFormat } from '../../../core/config/config-file';
import type { OodConfig } from './ood-config';

/**
 * A resolved config as a config file's text (what --print-config prints): every field, defaults
 * included, so it runs alone as `--config FILE` and reproduces the same config.
 */
export function formatOodConfig(config: OodConfig, format: ConfigFormat = 'json'): string {
  return format === 'json' ? `${JSON.stringify(config, null, 2)}\n` : stringify(config, { lineWidth: 0 });
}
