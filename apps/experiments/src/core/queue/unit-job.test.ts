import { describe, expect, test } from 'vitest';
import { stableJson } from './stable-json';
import { type UnitJobData, unitJobId } from './unit-job';

const job: Omit<UnitJobData, 'saveScores'> = {
  task: 'ood',
  config: { name: 'tiny', seed: 3, trials: 2, models: ['baseline', 'HiO'], optimizer: { name: 'adam', learningRate: 0.003 } },
  outDir: '/shared/results/tiny',
  configuration: 'holdout',
  trial: 1,
  unit: 'HiO',
  unitIndex: 1,
};

describe('stableJson', () => {
  test('gives one text whatever the order of object keys, at every depth, and keeps array order', () => {
    expect(stableJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(stableJson({ a: { c: null, d: [2, 1] }, b: 1 })).toBe(stableJson({ b: 1, a: { d: [2, 1], c: null } }));
    expect(stableJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });
});

describe('unitJobId', () => {
  test('is the same for the same unit written in another key order, and a valid BullMQ id (not an integer, no colon)', () => {
    const reordered = {
      ...job,
      config: { optimizer: { learningRate: 0.003, name: 'adam' }, models: ['baseline', 'HiO'], trials: 2, seed: 3, name: 'tiny' },
    };
    expect(unitJobId(reordered)).toBe(unitJobId(job));
    expect(unitJobId(job)).toMatch(/^unit-[0-9a-f]{40}$/);
  });

  test('ignores trials (a run grown with --trials keeps its units) and changes with anything that changes the unit', () => {
    expect(unitJobId({ ...job, config: { ...job.config, trials: 5 } })).toBe(unitJobId(job));
    const others = [
      { ...job, trial: 0 },
      { ...job, unit: 'baseline', unitIndex: 0 },
      { ...job, unitIndex: 2 },
      { ...job, configuration: 'near' },
      { ...job, outDir: '/shared/results/other' },
      { ...job, task: 'one-class' },
      { ...job, config: { ...job.config, seed: 4 } },
      { ...job, config: { ...job.config, optimizer: { name: 'adam', learningRate: 0.001 } } },
    ];
    const ids = new Set([unitJobId(job), ...others.map(unitJobId)]);
    expect(ids.size).toBe(others.length + 1);
  });
});
