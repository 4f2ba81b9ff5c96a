import { describe, expect, it } from 'vitest';
import { convStack } from './conv-stack';
import { type ConvStackOptions, convStackMapShapes, resolveConvStack } from './conv-stack-options';
import { BackboneError } from './errors';
import { createBackbone } from './registry';

/** Every check here fails before a layer is built, so no tfjs weights are created. */
function messageOf(options: unknown): string {
  try {
    convStack(options as ConvStackOptions);
  } catch (error) {
    expect(BackboneError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`expected convStack(${JSON.stringify(options)}) to throw`);
}

describe('conv-stack options', () => {
  it('fills the defaults: the issue example (3x3 valid conv 32 + 2x2 max-pool, 3x3 valid conv 64 + 2x2 max-pool, dense 128)', () => {
    const stack = resolveConvStack({});
    expect(stack).toEqual({
      layers: [
        {
          filters: 32,
          kernelSize: 3,
          stride: 1,
          padding: 'valid',
          activation: 'relu',
          batchNorm: false,
          pool: { kind: 'max', size: 2, stride: 2 },
        },
        {
          filters: 64,
          kernelSize: 3,
          stride: 1,
          padding: 'valid',
          activation: 'relu',
          batchNorm: false,
          pool: { kind: 'max', size: 2, stride: 2 },
        },
      ],
      reduce: 'flatten',
      dense: [128],
      init: 'torch-default',
    });
    expect(convStackMapShapes(stack, [28, 28, 1])).toEqual([
      [13, 13, 32],
      [5, 5, 64],
    ]);
  });

  it('rejects unknown keys at every level and lists the known ones', () => {
    expect(messageOf({ layer: [] })).toBe(
      "conv-stack: options has unknown key 'layer'; the known keys are inputShape, seed, weightDecay, layers, reduce, dense, init.",
    );
    expect(
      messageOf({
        layers: [
          { filters: 8, kernelSize: 3 },
          { filters: 8, kernel: 3, strides: 2 },
        ],
      }),
    ).toMatch(
      /^conv-stack: layers\[1\] has unknown keys 'kernel', 'strides'; the known keys are filters, kernelSize, stride, padding, activation, batchNorm, pool\.$/,
    );
    expect(messageOf({ layers: [{ filters: 8, kernelSize: 3, pool: { kind: 'max', size: 2, padding: 'same' } }] })).toMatch(
      /layers\[0\]\.pool has unknown key 'padding'; the known keys are kind, size, stride\./,
    );
  });

  it('names the layer, the map it receives and the size it would produce when a conv shrinks the map below 1x1', () => {
    // 8 -> conv 3 valid -> 6 -> pool 2 -> 3 -> conv 5 valid -> -1 (shown as 0).
    const message = messageOf({
      inputShape: [8, 8, 1],
      layers: [
        { filters: 4, kernelSize: 3, pool: { kind: 'max', size: 2 } },
        { filters: 4, kernelSize: 5 },
      ],
    });
    expect(message).toMatch(/^conv-stack: layers\[1\] \(5x5 conv, stride 1, 'valid' padding\) would shrink the 3x3 map to 0x0;/);
    expect(message).toMatch(/larger inputShape \(now 8x8x1\)/);
  });

  it('names the pool when the pool is what shrinks the map, height and width separately', () => {
    // 28x6 -> conv 3 valid -> 26x4 -> pool 5 -> 5x0.
    const message = messageOf({ inputShape: [28, 6, 1], layers: [{ filters: 4, kernelSize: 3, pool: { kind: 'avg', size: 5 } }] });
    expect(message).toMatch(/^conv-stack: layers\[0\]\.pool \(5x5 avg-pool, stride 5\) would shrink the 26x4 map to 5x0;/);
  });

  it("rejects 'same' padding with an even kernel (it cannot pad both sides equally)", () => {
    expect(messageOf({ layers: [{ filters: 4, kernelSize: 4, padding: 'same' }] })).toMatch(
      /layers\[0\]\.padding 'same' needs an odd kernelSize to pad both sides equally, got kernelSize 4/,
    );
  });

  it.each([
    [{ layers: [] }, /layers must be a non-empty array of conv layers/],
    [{ layers: 'conv' }, /layers must be a non-empty array of conv layers, e\.g\. .*, got 'conv'/],
    [{ layers: [null] }, /layers\[0\] must be an object, got null/],
    [{ layers: [{ kernelSize: 3 }] }, /layers\[0\]\.filters must be a positive integer, got nothing/],
    [{ layers: [{ filters: 8, kernelSize: 2.5 }] }, /layers\[0\]\.kernelSize must be a positive integer, got 2\.5/],
    [{ layers: [{ filters: 8, kernelSize: 3, stride: 0 }] }, /layers\[0\]\.stride must be a positive integer, got 0/],
    [{ layers: [{ filters: 8, kernelSize: 3, padding: 'full' }] }, /layers\[0\]\.padding must be one of 'valid', 'same', got 'full'/],
    [
      { layers: [{ filters: 8, kernelSize: 3, activation: 'gelu' }] },
      /layers\[0\]\.activation must be one of 'relu', 'elu', 'selu', 'tanh', 'sigmoid', 'linear', got 'gelu'/,
    ],
    [{ layers: [{ filters: 8, kernelSize: 3, batchNorm: 'yes' }] }, /layers\[0\]\.batchNorm must be true or false, got 'yes'/],
    [
      { layers: [{ filters: 8, kernelSize: 3, pool: { kind: 'min', size: 2 } }] },
      /layers\[0\]\.pool\.kind must be one of 'max', 'avg', got 'min'/,
    ],
    [{ layers: [{ filters: 8, kernelSize: 3, pool: { kind: 'max' } }] }, /layers\[0\]\.pool\.size must be a positive integer, got nothing/],
    [
      { layers: [{ filters: 8, kernelSize: 3, pool: { kind: 'max', size: 2, stride: -1 } }] },
      /layers\[0\]\.pool\.stride must be a positive integer, got -1/,
    ],
    [{ dense: 128 }, /dense must be an array of layer widths, e\.g\. \[128\] \(or \[\] for none\), got 128/],
    [{ dense: [128, 0] }, /dense\[1\] must be a positive integer, got 0/],
    [{ reduce: 'global-max' }, /reduce must be one of 'flatten', 'global-average', got 'global-max'/],
    [{ init: 'xavier' }, /init must be one of 'torch-default', 'he-normal-fan-in', 'he-normal-fan-out', got 'xavier'/],
    [{ inputShape: [28, 28] }, /conv-stack: inputShape must be \[height, width, channels\]/],
  ])('rejects %j with the path and what is allowed', (options, pattern) => {
    expect(messageOf(options)).toMatch(pattern);
  });

  it('goes through the registry the same way', () => {
    expect(() => createBackbone('conv-stack', { layers: [{ filters: 8, kernelSize: 3, poolSize: 2 }] } as object)).toThrowError(
      /conv-stack: layers\[0\] has unknown key 'poolSize'/,
    );
  });
});
