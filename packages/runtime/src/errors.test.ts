import { describe, expect, it } from 'vitest';
import { CurvadRuntimeError } from './errors';

describe('CurvadRuntimeError', () => {
  it('is recognised by its marker, also across copies of the package, and keeps a cause', () => {
    const cause = new Error('wasm missing');
    const error = new CurvadRuntimeError('No usable tfjs backend.', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CurvadRuntimeError');
    expect(error.cause).toBe(cause);
    expect(CurvadRuntimeError.isInstance(error)).toBe(true);
    const fromAnotherCopy = Object.assign(new Error('x'), { [Symbol.for('curvad.error.runtime')]: true });
    expect(CurvadRuntimeError.isInstance(fromAnotherCopy)).toBe(true);
    expect(CurvadRuntimeError.isInstance(new Error('x'))).toBe(false);
    expect(CurvadRuntimeError.isInstance(null)).toBe(false);
    expect(CurvadRuntimeError.isInstance('CurvadRuntimeError')).toBe(false);
  });
});
