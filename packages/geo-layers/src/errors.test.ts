import { describe, expect, it } from 'vitest';
import { CurvatureSlot, checkCurvature, MIN_LEARNED_CURVATURE, softplusInverse } from './curvature';
import { GeoLayersError } from './errors';

describe('GeoLayersError', () => {
  it('is recognised by its marker, also for a copy from another package instance', () => {
    const error = new GeoLayersError('bad k', { cause: 'x' });
    expect(GeoLayersError.isInstance(error)).toBe(true);
    expect(error.name).toBe('GeoLayersError');
    expect(error).toBeInstanceOf(Error);
    const foreign = Object.assign(new Error('copy'), { [Symbol.for('curvad.error.geo-layers')]: true });
    expect(GeoLayersError.isInstance(foreign)).toBe(true);
    expect(GeoLayersError.isInstance(new Error('other'))).toBe(false);
    expect(GeoLayersError.isInstance(null)).toBe(false);
  });
});

describe('curvature', () => {
  it('checks sign and finiteness per geometry', () => {
    expect(checkCurvature(2, 'sphere', 'L')).toBe(2);
    expect(checkCurvature(-0.01, 'poincare', 'L')).toBe(-0.01);
    expect(() => checkCurvature(-1, 'sphere', 'L')).toThrow(/L: a sphere layer needs a positive/);
    expect(() => checkCurvature(0, 'poincare', 'L')).toThrow(/negative/);
    expect(() => checkCurvature(Number.NaN, 'poincare', 'L')).toThrow(/finite/);
    expect(() => checkCurvature('1', 'sphere', 'L')).toThrow(/finite number/);
  });

  it('softplusInverse inverts softplus over the useful range', () => {
    for (const y of [1e-5, 1e-3, 0.01, 1, 10, 50]) {
      expect(Math.log1p(Math.exp(softplusInverse(y)))).toBeCloseTo(y, 10);
    }
  });

  it('a learnable slot keeps its sign and starts at the given k; a too-small |k| is refused', () => {
    expect(new CurvatureSlot('poincare', -0.5, false).value()).toBe(-0.5);
    expect(() => new CurvatureSlot('poincare', -MIN_LEARNED_CURVATURE / 2, true)).toThrow(GeoLayersError);
    expect(new CurvatureSlot('sphere', 1, true).sign).toBe(1);
    expect(new CurvatureSlot('poincare', -1, true).sign).toBe(-1);
    expect(() => new CurvatureSlot('sphere', 1, true).tensor()).toThrow(/not built/);
  });
});
