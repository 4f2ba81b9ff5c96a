// Options a registered detector is made with: passed on to its score function, except `asTensor`
// (a detector always returns a Float32Array).
import { AnomalyScoreError } from './errors';

export type DetectorOptions = Record<string, unknown>;

/** A copy of `options` for the score function; rejects what a detector cannot honour. */
export function scoreOptions(options: DetectorOptions | undefined, detector: string): DetectorOptions & { asTensor: false } {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new AnomalyScoreError(`detector '${detector}': options must be an object, got ${String(options)}.`);
  }
  if (options?.asTensor !== undefined) {
    throw new AnomalyScoreError(`detector '${detector}': a detector returns a Float32Array; remove the option asTensor.`);
  }
  return { ...options, asTensor: false };
}

/** Splits `options` into the keys in `keys` and the rest. */
export function splitOptions(options: DetectorOptions, keys: readonly string[]): [DetectorOptions, DetectorOptions] {
  const picked: DetectorOptions = {};
  const rest: DetectorOptions = {};
  for (const [key, value] of Object.entries(options)) (keys.includes(key) ? picked : rest)[key] = value;
  return [picked, rest];
}

/** ' (T=1000, eps=0.002)' for the description line; '' without options. */
export function describeOptions(options: DetectorOptions): string {
  const entries = Object.entries(options).filter(([key, value]) => key !== 'asTensor' && value !== undefined);
  return entries.length === 0 ? '' : ` (${entries.map(([key, value]) => `${key}=${String(value)}`).join(', ')})`;
}
