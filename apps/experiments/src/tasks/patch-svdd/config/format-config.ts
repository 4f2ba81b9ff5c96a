import { stringify } from 'yaml';
import type { ConfigFormat } from '../../../core/config/config-file';
import type { PatchSvddConfig } from './patch-svdd-config';

/** A resolved config as a config file's text (--print-config): every field, so `--config FILE` alone reproduces it. */
export function formatPatchSvddConfig(config: PatchSvddConfig, format: ConfigFormat = 'json'): string {
  return format === 'json' ? `${JSON.stringify(config, null, 2)}\n` : stringify(config, { lineWidth: 0 });
}
