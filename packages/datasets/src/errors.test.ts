import { describe, expect, it } from 'vitest';
import { DatasetError } from './errors.js';

describe('DatasetError', () => {
  it('is recognised by its marker symbol, also on a foreign object', () => {
    const e = new DatasetError('bad file', { path: '/x/y' });
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.path).toBe('/x/y');
    expect(e.name).toBe('DatasetError');
    expect(DatasetError.isInstance(new Error('x'))).toBe(false);
    expect(DatasetError.isInstance(null)).toBe(false);
    const foreign = { [Symbol.for('curvad.error.datasets')]: true };
    expect(DatasetError.isInstance(foreign)).toBe(true);
  });
});
