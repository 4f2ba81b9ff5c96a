// A backbone from the config (conv-stack included) is checked once, before training: its options'
// BackboneError surfaces as one ConfigError naming the field, not as a failure of every trial.
import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { ConfigError } from '../../../experiment-error';
import { resolveOodConfig } from '../config/resolve-config';
import { checkBackbone } from './check-backbone';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

const withBackbone = (value: string) => resolveOodConfig({ preset: 'fmnist-released', set: [`backbone=${value}`] });

describe('checkBackbone', () => {
  test('conv-stack from the config (and from --set) builds, leaving no tensor behind', () => {
    const before = tf.memory().numTensors;
    checkBackbone(
      withBackbone('{"name":"conv-stack","options":{"layers":[{"filters":8,"kernelSize":5,"stride":2}],"dense":[16]}}'),
      [28, 28, 1],
    );
    checkBackbone(resolveOodConfig({ preset: 'fmnist-released' }), [28, 28, 1]);
    expect(tf.memory().numTensors).toBe(before);
  });

  test("a bad option is one ConfigError carrying the backbone's own message (the path at fault) and how to fix it", () => {
    const bad = withBackbone('{"name":"conv-stack","options":{"layers":[{"filters":8,"kernelSize":3,"pool":{"kind":"max","size":40}}]}}');
    let error: unknown;
    try {
      checkBackbone(bad, [28, 28, 1]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /^backbone\.options of 'conv-stack' \(for 28x28x1 images\) are not valid: conv-stack: layers\[0\]\.pool/,
    );
    expect((error as Error).message).toMatch(/--set backbone\.options\.<key>=<value>\.$/);
    expect(() =>
      checkBackbone(withBackbone('{"name":"conv-stack","options":{"layers":[{"filters":8,"kernelSize":3,"padd":"same"}]}}'), [28, 28, 1]),
    ).toThrow(/layers\[0\] has unknown key 'padd'/);
    expect(() => checkBackbone(withBackbone('{"name":"conv-stak"}'), [28, 28, 1])).toThrow(
      /backbone\.name 'conv-stak' is not a backbone; choose one of: .*conv-stack/,
    );
  });
});
