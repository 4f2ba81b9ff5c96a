import type { z } from 'zod';

/** The value at `path` inside `input`, or undefined when the path does not reach one. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/**
 * One line per problem: "field.path: what is wrong (got VALUE)". An unknown key names the keys
 * allowed there (see strictObject) and needs no value.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string[] {
  return issues.map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join('.') : '(config)';
    if (issue.code === 'unrecognized_keys') return `${path}: ${issue.message}`;
    return `${path}: ${issue.message} (got ${shown(valueAt(input, issue.path))})`;
  });
}
