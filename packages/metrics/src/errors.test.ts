import { describe, expect, it } from 'vitest';
import { auroc } from './auroc';
import { MetricsError } from './errors';
import { evaluate } from './evaluate';
import { fprAtTpr } from './fpr-at-tpr';

function thrown(f: () => unknown): MetricsError {
  try {
    f();
  } catch (e) {
    if (MetricsError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected a MetricsError, nothing was thrown');
}

describe('MetricsError', () => {
  it('carries a marker recognised across copies of the package', () => {
    const e = new MetricsError('empty-input', 'x');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('MetricsError');
    expect(MetricsError.isInstance(e)).toBe(true);
    expect(MetricsError.isInstance({ [Symbol.for('curvad.error.metrics')]: true })).toBe(true);
    expect(MetricsError.isInstance(new Error('x'))).toBe(false);
    expect(MetricsError.isInstance(null)).toBe(false);
    expect(MetricsError.isInstance('MetricsError')).toBe(false);
  });
});

describe('bad input names the problem', () => {
  it('lengths differ', () => {
    const e = thrown(() => evaluate([1, 2, 3], [0, 1]));
    expect(e.code).toBe('length-mismatch');
    expect(e.message).toMatch(/3 scores but 2 labels/);
  });

  it('empty input', () => {
    const e = thrown(() => auroc([], []));
    expect(e.code).toBe('empty-input');
    expect(e.message).toMatch(/no scores/);
  });

  it.each([NaN, Infinity, -Infinity])('score %s', (bad) => {
    const e = thrown(() => evaluate([0.1, bad, 0.3], [0, 1, 1]));
    expect(e.code).toBe('non-finite-score');
    expect(e.message).toMatch(/index 1/);
  });

  it.each([2, -1, 0.5, NaN])('label %s', (bad) => {
    const e = thrown(() => evaluate([0.1, 0.2, 0.3], [0, bad, 1]));
    expect(e.code).toBe('bad-label');
    expect(e.message).toMatch(/label at index 1/);
    expect(e.message).toMatch(/1\/true .* 0\/false/);
  });

  it('non-number labels', () => {
    const labels = [0, '1', 1] as unknown as number[];
    expect(thrown(() => evaluate([0.1, 0.2, 0.3], labels)).code).toBe('bad-label');
  });

  it('single class gives a clear error, not NaN', () => {
    const onlyNormal = thrown(() => evaluate([0.1, 0.2], [0, 0]));
    expect(onlyNormal.code).toBe('single-class');
    expect(onlyNormal.message).toMatch(/all 2 samples are normal/);
    const onlyAnomalous = thrown(() => auroc([0.1, 0.2, 0.3], [true, true, true]));
    expect(onlyAnomalous.message).toMatch(/all 3 samples are anomalous/);
  });

  it.each([0, -0.1, 1.5, 95, NaN])('tpr level %s', (level) => {
    const e = thrown(() => fprAtTpr([0.1, 0.9], [0, 1], level));
    expect(e.code).toBe('bad-parameter');
    expect(e.message).toMatch(/\(0, 1\]/);
  });
});
