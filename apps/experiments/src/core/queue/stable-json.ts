// One text per value, whatever the order its object keys were written in: the input of a unit's job id.

/**
 * JSON.stringify with every object's keys sorted (recursively), so two equal configs give the same
 * text. Values JSON.stringify leaves out (undefined, functions) are left out; arrays keep their order.
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return sortKeys(json.call(value));
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, sortKeys(record[key])]),
  );
}
