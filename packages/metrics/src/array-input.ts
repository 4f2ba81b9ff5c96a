import { MetricsError } from './errors';

// The metrics read plain arrays. Anything else (null, a tfjs tensor, a string, a number) used to
// surface as "undefined scores" or a TypeError from deep inside; these checks name the argument
// and say what to pass instead. They cost O(1): the elements are checked by each metric's own pass.

/** A tfjs Tensor (or anything shaped like one), recognised without importing tfjs. */
export function isTensorLike(value: object): value is { shape: unknown; dataSync: unknown } {
  const v = value as Record<string, unknown>;
  return typeof v.dataSync === 'function' || (Array.isArray(v.shape) && typeof v.dtype === 'string' && !('length' in v));
}

function shapeOf(value: { shape: unknown }): string {
  return Array.isArray(value.shape) ? ` of shape [${value.shape.join(', ')}]` : '';
}

/** What a value is, for messages: `null`, `a string`, `an object without a length`, ... */
export function describeInput(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `a string ('${value.length > 20 ? `${value.slice(0, 20)}...` : value}')`;
  if (typeof value !== 'object') return `a ${typeof value} (${String(value)})`;
  return 'an object without a numeric length';
}

/**
 * Throws a `MetricsError` (code 'bad-input') unless `value` is an array-like: an Array or a
 * typed array (anything with a non-negative integer `length` and indexed elements). `name` is
 * the argument (`scores`, `labels`, ...), `what` the function, `holds` what one element is.
 */
export function checkArrayLike(value: unknown, name: string, what: string, holds: string): asserts value is ArrayLike<unknown> {
  if (typeof value === 'object' && value !== null && isTensorLike(value)) {
    throw new MetricsError(
      'bad-input',
      `${what}: ${name} is a tfjs Tensor${shapeOf(value)}; the metrics read plain arrays. ` +
        'Pass its values instead: `await t.data()` (or `t.dataSync()`) for a tensor t, and dispose the tensor yourself.',
    );
  }
  const length = typeof value === 'object' && value !== null ? (value as { length?: unknown }).length : undefined;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
    throw new MetricsError(
      'bad-input',
      `${what}: ${name} is ${describeInput(value)}; pass an array or typed array (e.g. Float32Array) of ${holds}.`,
    );
  }
}
