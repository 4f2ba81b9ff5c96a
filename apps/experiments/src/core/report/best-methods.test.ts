import { describe, expect, test } from 'vitest';
import { bestIndices } from './best-methods';

describe('bestIndices', () => {
  test('highest or lowest by direction, ties all kept, missing values skipped', () => {
    expect(bestIndices([0.5, 0.9, 0.7], false)).toEqual([1]);
    expect(bestIndices([0.5, 0.9, 0.7], true)).toEqual([0]);
    expect(bestIndices([0.9, null, 0.9], false)).toEqual([0, 2]);
    expect(bestIndices([null, null], true)).toEqual([]);
  });
});
