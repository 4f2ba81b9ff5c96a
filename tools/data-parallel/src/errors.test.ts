import { describe, expect, it } from 'vitest';
import { DataParallelError } from './errors';

describe('DataParallelError', () => {
  it('is recognised by its marker, also across copies of the package, and keeps a cause', () => {
    const cause = new Error('worker exited');
    const error = new DataParallelError('A DataParallelTrainer worker failed.', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DataParallelError');
    expect(error.cause).toBe(cause);
    expect(DataParallelError.isInstance(error)).toBe(true);
    const fromAnotherCopy = Object.assign(new Error('x'), { [Symbol.for('curvad.error.data-parallel')]: true });
    expect(DataParallelError.isInstance(fromAnotherCopy)).toBe(true);
    // runtime's error is another package's: not this one.
    expect(DataParallelError.isInstance(Object.assign(new Error('x'), { [Symbol.for('curvad.error.runtime')]: true }))).toBe(false);
    expect(DataParallelError.isInstance(new Error('x'))).toBe(false);
    expect(DataParallelError.isInstance(null)).toBe(false);
  });
});
