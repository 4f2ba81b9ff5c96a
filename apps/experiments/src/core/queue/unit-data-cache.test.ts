import { describe, expect, test } from 'vitest';
import { dataKey, UnitDataCache } from './unit-data-cache';

describe('a unit process data cache', () => {
  test('loads a configuration once for consecutive units, again for another configuration, config or task', async () => {
    const cache = new UnitDataCache<string>();
    const loads: string[] = [];
    const load = (key: string) => () => {
      loads.push(key);
      return Promise.resolve(`data of ${key}`);
    };
    const config = { name: 'run', seed: 1, trials: 2, limits: { train: 300 } };
    const a = dataKey('ood', config, 'holdout');
    expect(await cache.get(a, load(a))).toEqual({ data: `data of ${a}`, cached: false });
    expect(await cache.get(a, load(a))).toEqual({ data: `data of ${a}`, cached: true });
    // More trials is the same data; other limits, another configuration or task is not.
    expect(dataKey('ood', { ...config, trials: 5 }, 'holdout')).toBe(a);
    const others = [
      dataKey('ood', { ...config, limits: { train: 200 } }, 'holdout'),
      dataKey('ood', config, 'cifar'),
      dataKey('one-class', config, 'holdout'),
    ];
    expect(new Set([a, ...others]).size).toBe(4);
    await cache.get(others[0]!, load(others[0]!));
    expect(cache.size).toBe(1);
    await cache.get(a, load(a));
    expect(loads).toEqual([a, others[0], a]);
  });

  test('key order in the config does not change the key', () => {
    expect(dataKey('ood', { a: 1, b: { c: 2, d: 3 } }, 'x')).toBe(dataKey('ood', { b: { d: 3, c: 2 }, a: 1 }, 'x'));
  });
});
