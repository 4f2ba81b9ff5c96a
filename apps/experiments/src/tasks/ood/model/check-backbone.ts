// A backbone the config names, checked once before any training: @curvad/backbones validates its
// options when it builds (conv-stack: every layer, key and map size), so it is built here once and
// its BackboneError becomes one config error naming the fields, instead of a failure in every trial.
import { BackboneError, createBackbone, listBackbones } from '@curvad/backbones';
import { ConfigError } from '../../../experiment-error';
import type { OodConfig } from '../config/ood-config';

/**
 * Builds (and disposes) `config.backbone` for `inputShape`; a BackboneError (unknown name, unknown or
 * bad option, a map shrunk below 1x1) is rethrown as a ConfigError that names backbone.name / .options.
 */
export function checkBackbone(config: Pick<OodConfig, 'backbone'>, inputShape: [number, number, number]): void {
  const { name, options } = config.backbone;
  if (!(listBackbones() as string[]).includes(name)) {
    throw new ConfigError(`backbone.name '${name}' is not a backbone; choose one of: ${listBackbones().join(', ')}.`);
  }
  try {
    createBackbone(name, { ...options, inputShape, seed: 0 }).dispose();
  } catch (error) {
    if (!BackboneError.isInstance(error)) throw error;
    throw new ConfigError(
      `backbone.options of '${name}' (for ${inputShape.join('x')} images) are not valid: ${error.message} ` +
        `Fix them in the config file or with --set backbone.options.<key>=<value>.`,
      { cause: error },
    );
  }
}
