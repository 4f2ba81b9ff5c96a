import { ConfigError } from '../../experiment-error';

/** One `--set key.path=value`: the path's segments and the value (JSON when it parses, else the text). */
export interface ConfigOverride {
  /** The text as given, for messages. */
  text: string;
  path: string[];
  value: unknown;
}

/** Keys that would reach an object's prototype instead of a field. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const EXAMPLE = '--set optimizer.learningRate=0.01 or --set configurations.0.ood.1.count=500';

/**
 * Parses `key.path=value`. The value is read as JSON when it parses (numbers, true/false, null,
 * ["lists"], {"objects"}) and taken as text otherwise, so `sphereVariant=sphereface` needs no quotes.
 * Array elements are addressed by index: `models.0`, `configurations.1.ood.0.count`.
 */
export function parseConfigOverride(text: string): ConfigOverride {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new ConfigError(`--set '${text}': expected key.path=value, e.g. ${EXAMPLE}.`);
  const key = text.slice(0, equals).trim();
  const path = key.split('.');
  if (path.some((segment) => segment === ''))
    throw new ConfigError(`--set '${text}': the key '${key}' has an empty segment; write it as dotted names and indices, e.g. ${EXAMPLE}.`);
  const reserved = path.find((segment) => RESERVED_KEYS.has(segment));
  if (reserved) throw new ConfigError(`--set '${text}': '${reserved}' is not a config field; see --print-config for the fields.`);
  const raw = text.slice(equals + 1);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  return { text, path, value };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return `${JSON.stringify(value)} (a ${typeof value})`;
}

/**
 * Sets the override's value in `target` (changed in place), creating missing objects on the way.
 * null removes the key (or the list element), so the schema default applies. An index must
 * address an existing element or the next one (to append); a path through a number or a string
 * is refused. Unknown keys are left to the schema, which names the allowed ones.
 */
export function applyConfigOverride(target: Record<string, unknown>, override: ConfigOverride): void {
  const { path, value, text } = override;
  let container: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    const where = path.slice(0, i).join('.') || '(config)';
    if (Array.isArray(container)) {
      if (!/^\d+$/.test(segment)) {
        throw new ConfigError(
          `--set '${text}': ${where} is a list, so the next segment must be an index (0 to ${container.length - 1}), got '${segment}'.`,
        );
      }
      const index = Number(segment);
      if (index > container.length || (last && value === null && index >= container.length)) {
        throw new ConfigError(
          `--set '${text}': ${where} has ${container.length} element${container.length === 1 ? '' : 's'}, so its index must be 0 to ${container.length - 1}${last && value === null ? '' : ` (or ${container.length} to append one)`}, got ${index}.`,
        );
      }
      if (last) {
        if (value === null) container.splice(index, 1);
        else container[index] = structuredClone(value);
        return;
      }
      if (container[index] === undefined) container[index] = {};
      const next: unknown = container[index];
      if (typeof next !== 'object' || next === null)
        throw new ConfigError(
          `--set '${text}': ${path.slice(0, i + 1).join('.')} is ${describe(next)}, which has no field '${path[i + 1]}'.`,
        );
      container = next as Record<string, unknown> | unknown[];
      continue;
    }
    if (last) {
      if (value === null) delete container[segment];
      else container[segment] = structuredClone(value);
      return;
    }
    if (container[segment] === undefined || container[segment] === null) container[segment] = {};
    const next: unknown = container[segment];
    if (typeof next !== 'object' || next === null)
      throw new ConfigError(
        `--set '${text}': ${path.slice(0, i + 1).join('.')} is ${describe(next)}, which has no field '${path[i + 1]}'.`,
      );
    container = next as Record<string, unknown> | unknown[];
  }
}
