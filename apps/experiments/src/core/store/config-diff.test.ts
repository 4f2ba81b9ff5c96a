import { describe, expect, test } from 'vitest';
import { configDifferences, describeDifferences } from './config-diff';

describe('configDifferences', () => {
  test('dotted paths of the leaves that differ, with both values; ignored top-level keys are skipped', () => {
    const ours = {
      epochs: 2,
      trials: 5,
      optimizer: { name: 'adam', learningRate: 0.001 },
      configurations: [{ id: { classes: [0, 1] } }],
      extra: true,
    };
    const theirs = {
      epochs: 3,
      trials: 2,
      optimizer: { name: 'adam', learningRate: 0.002 },
      configurations: [{ id: { classes: [0, 1, 2] } }],
    };
    expect(configDifferences(ours, theirs, ['trials'])).toEqual([
      { path: 'configurations.0.id.classes', ours: [0, 1], theirs: [0, 1, 2] },
      { path: 'epochs', ours: 2, theirs: 3 },
      { path: 'extra', ours: true, theirs: undefined },
      { path: 'optimizer.learningRate', ours: 0.001, theirs: 0.002 },
    ]);
    expect(configDifferences({ a: { b: 1 } }, { a: { b: 1 } })).toEqual([]);
  });

  test('describeDifferences: "path: ours here, theirs in the run", at most five then a count', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ path: `f${i}`, ours: i, theirs: undefined }));
    expect(describeDifferences(many.slice(0, 1))).toBe('f0: 0 here, (absent) in the run');
    expect(describeDifferences(many)).toMatch(/^f0: 0 here, \(absent\) in the run; .*f4: 4 here, \(absent\) in the run; and 2 more$/);
  });
});
