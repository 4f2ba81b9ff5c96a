import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../experiment-error';
import { applyConfigOverride, parseConfigOverride } from './config-override';
import { mergeConfig } from './merge-config';

function applied(target: Record<string, unknown>, ...texts: string[]): Record<string, unknown> {
  for (const text of texts) applyConfigOverride(target, parseConfigOverride(text));
  return target;
}

describe('--set key.path=value', () => {
  test('values are JSON when they parse, else text', () => {
    expect(parseConfigOverride('epochs=3').value).toBe(3);
    expect(parseConfigOverride('optimizer.learningRate=1e-3').value).toBe(0.001);
    expect(parseConfigOverride('learnCurvature=true').value).toBe(true);
    expect(parseConfigOverride('featureClipRadius=null').value).toBeNull();
    expect(parseConfigOverride('models=["baseline","HiO"]').value).toEqual(['baseline', 'HiO']);
    expect(parseConfigOverride('curvatures.MiO=[1,-0.5]').value).toEqual([1, -0.5]);
    expect(parseConfigOverride('sphereVariant=sphereface').value).toBe('sphereface');
    expect(parseConfigOverride('name="123"').value).toBe('123');
    expect(parseConfigOverride('name=a=b')).toMatchObject({ path: ['name'], value: 'a=b' });
    expect(parseConfigOverride('name=').value).toBe('');
  });

  test('a malformed override names itself and shows the form', () => {
    expect(() => parseConfigOverride('epochs')).toThrow(ConfigError);
    expect(() => parseConfigOverride('epochs')).toThrow(/--set 'epochs': expected key.path=value, e.g. --set optimizer.learningRate=0.01/);
    expect(() => parseConfigOverride('=3')).toThrow(/expected key.path=value/);
    expect(() => parseConfigOverride('optimizer..name=sgd')).toThrow(
      /--set 'optimizer..name=sgd': the key 'optimizer..name' has an empty segment/,
    );
    expect(() => parseConfigOverride('__proto__.polluted=1')).toThrow(/'__proto__' is not a config field/);
  });

  test('paths reach nested fields and list elements by index, creating missing objects', () => {
    const target = {
      epochs: 1,
      configurations: [
        {
          name: 'a',
          ood: [
            { kind: 'noise', count: 10 },
            { kind: 'noise', count: 20 },
          ],
        },
      ],
    };
    applied(target, 'configurations.0.ood.1.count=500', 'limits.train=100', 'epochs=4');
    expect(target).toEqual({
      epochs: 4,
      limits: { train: 100 },
      configurations: [
        {
          name: 'a',
          ood: [
            { kind: 'noise', count: 10 },
            { kind: 'noise', count: 500 },
          ],
        },
      ],
    });
  });

  test('the next index appends; null removes a field or an element', () => {
    const target: Record<string, unknown> = { models: ['baseline', 'HiO'], embeddingDim: 32 };
    applied(target, 'models.2=MiO', 'embeddingDim=null', 'models.0=null');
    expect(target).toEqual({ models: ['HiO', 'MiO'] });
  });

  test('an index out of range, a name where an index goes, or a path through a value is refused, naming the path', () => {
    const target = () => ({ epochs: 1, configurations: [{ name: 'a' }, { name: 'b' }] });
    expect(() => applied(target(), 'configurations.5.name=x')).toThrow(
      /--set 'configurations.5.name=x': configurations has 2 elements, so its index must be 0 to 1 \(or 2 to append one\), got 5/,
    );
    expect(() => applied(target(), 'configurations.2=null')).toThrow(/configurations has 2 elements, so its index must be 0 to 1, got 2/);
    expect(() => applied(target(), 'configurations.first.name=x')).toThrow(
      /configurations is a list, so the next segment must be an index \(0 to 1\), got 'first'/,
    );
    expect(() => applied(target(), 'epochs.max=3')).toThrow(/--set 'epochs.max=3': epochs is 1 \(a number\), which has no field 'max'/);
  });
});

describe('mergeConfig', () => {
  test('objects merge key by key, arrays and values replace, null removes; the inputs stay as they were', () => {
    const base = { epochs: 3, optimizer: { name: 'adam', learningRate: 0.002 }, models: ['baseline', 'SiO', 'HiO'], embeddingDim: 32 };
    const patch = { optimizer: { learningRate: 0.01 }, models: ['HiO'], embeddingDim: null };
    const merged = mergeConfig(base, patch);
    expect(merged).toEqual({ epochs: 3, optimizer: { name: 'adam', learningRate: 0.01 }, models: ['HiO'] });
    expect(base.optimizer.learningRate).toBe(0.002);
    (merged.models as string[]).push('MiO');
    expect(patch.models).toEqual(['HiO']);
  });

  test("a file's '__proto__' key stays an own field (then rejected as unknown), never the prototype", () => {
    const merged = mergeConfig({}, JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>);
    expect(Object.keys(merged)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
