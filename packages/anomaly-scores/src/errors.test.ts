import { describe, expect, it } from 'vitest';
import { AnomalyScoreError } from './errors';

describe('AnomalyScoreError', () => {
  it('is recognised by its marker, also for a foreign copy', () => {
    const error = new AnomalyScoreError('bad');
    expect(AnomalyScoreError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AnomalyScoreError');
    const foreign = Object.assign(new Error('copy'), { [Symbol.for('curvad.error.anomaly-scores')]: true });
    expect(AnomalyScoreError.isInstance(foreign)).toBe(true);
  });

  it('rejects other errors and non-errors', () => {
    expect(AnomalyScoreError.isInstance(new Error('x'))).toBe(false);
    expect(AnomalyScoreError.isInstance(null)).toBe(false);
    expect(AnomalyScoreError.isInstance('AnomalyScoreError')).toBe(false);
    expect(AnomalyScoreError.isInstance({ [Symbol.for('curvad.error.metrics')]: true })).toBe(false);
  });
});
