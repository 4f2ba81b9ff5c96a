// Unknown option keys are rejected, not ignored: `new ToSphere({ k: 1, kappa: 2 })` used to build a
// layer with k = 1 and drop `kappa` silently. Layers accept their own keys plus the tfjs-layers base
// layer keys, so that deserialization (which passes back what getConfig wrote: the base keys name,
// trainable, batchInputShape, dtype and the layer's own) keeps working. tfjs also tacks a
// `customObjects` entry onto every config it deserializes; the layers' fromConfig removes it
// (`configForConstructor`) so that users still get an error for it.
import type * as tf from '@tensorflow/tfjs-core';
import { GeoLayersError } from './errors';

/** The key tfjs-layers' deserializeKerasObject adds to every config it hands to fromConfig. */
const DESERIALIZATION_KEY = 'customObjects';

/** A saved config without the entry tfjs adds while deserializing, ready for the layer's constructor. */
export function configForConstructor(config: tf.serialization.ConfigDict): tf.serialization.ConfigDict {
  if (!(DESERIALIZATION_KEY in config)) return config;
  const { [DESERIALIZATION_KEY]: _added, ...saved } = config;
  return saved;
}

/** The keys of tfjs-layers' LayerArgs, accepted by every layer (getConfig writes some of them back). */
export const BASE_LAYER_KEYS: readonly string[] = [
  'name',
  'trainable',
  'inputShape',
  'batchInputShape',
  'batchSize',
  'dtype',
  'weights',
  'inputDType',
];

/** Levenshtein distance, for "did you mean" hints on short option names. */
function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** The allowed key closest to `key` (case-insensitive, at most 2 edits away), if any. */
function closestKey(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export interface ConfigKeyGroups {
  /** The function's or layer's own keys, listed first in the message. */
  own: readonly string[];
  /** Also accept tfjs-layers' base layer keys (layers: yes; head factories and functions: no). */
  baseLayerKeys?: boolean;
}

/**
 * Throws a GeoLayersError naming the first unknown key of `options` and listing the allowed ones
 * (with a "did you mean" when one is close). `null` / `undefined` options pass: the caller's own
 * checks report the missing required values. Returns `options` so a constructor can call it inside
 * `super(...)`, before the base layer is set up.
 */
export function checkConfigKeys<T>(options: T, keys: ConfigKeyGroups, owner: string): T {
  if (options === undefined || options === null) return options;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new GeoLayersError(
      `${owner}: options must be an object such as { k: 1 }, got ${Array.isArray(options) ? 'an array' : typeof options}.`,
    );
  }
  const base = keys.baseLayerKeys === true ? BASE_LAYER_KEYS : [];
  const allowed = [...keys.own, ...base];
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const suggestion = closestKey(key, allowed);
    const listed = base.length > 0 ? `${keys.own.join(', ')} (and the tfjs-layers layer options ${base.join(', ')})` : keys.own.join(', ');
    throw new GeoLayersError(
      `${owner}: unknown option '${key}'${suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`}. ` +
        `Allowed options: ${listed}.`,
    );
  }
  return options;
}
