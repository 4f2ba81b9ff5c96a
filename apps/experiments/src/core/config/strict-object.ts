import { z } from 'zod';

/**
 * A zod object that rejects keys outside `shape` (a misspelt key is an error, not silently dropped),
 * with a message that lists the keys it allows.
 */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const keys = issue.keys.map((key) => `'${key}'`).join(', ');
      return `unknown key${issue.keys.length === 1 ? '' : 's'} ${keys}; allowed keys: ${allowed}`;
    },
  });
}
