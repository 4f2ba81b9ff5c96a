function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `patch` laid over `base`, neither changed: objects merge key by key, any other value (a number,
 * a string, a whole array) replaces the base's, and null removes the key, so the schema default
 * applies or an optional field (embeddingDim, limits.train) is absent.
 */
export function mergeConfig(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete merged[key];
      continue;
    }
    const next = isPlainObject(value) && isPlainObject(merged[key]) ? mergeConfig(merged[key], value) : structuredClone(value);
    // defineProperty keeps a '__proto__' key of a parsed file an own (unknown, so rejected) field.
    Object.defineProperty(merged, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return merged;
}
