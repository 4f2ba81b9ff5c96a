import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { conv4 } from './conv4';
import { denseNetBC } from './densenet-bc';
import { SeedSequence } from './seed-sequence';
import { wideResNet } from './wide-resnet';

function stats(values: Float32Array | Int32Array | Uint8Array) {
  let sum = 0;
  let sumSq = 0;
  let maxAbs = 0;
  for (const v of values) {
    sum += v;
    sumSq += v * v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const mean = sum / values.length;
  return { mean, std: Math.sqrt(sumSq / values.length - mean * mean), maxAbs, n: values.length };
}

describe('SeedSequence', () => {
  test.prop([fc.integer({ min: -(2 ** 40), max: 2 ** 40 })])('is reproducible and never hands out tfjs\'s "unseeded" 0', (seed) => {
    const a = new SeedSequence(seed);
    const b = new SeedSequence(seed);
    for (let i = 0; i < 50; i++) {
      const value = a.next();
      expect(value).toBe(b.next());
      expect(value).not.toBe(0);
      expect(Number.isInteger(value) && value > 0 && value < 2 ** 32).toBe(true);
    }
  });

  it('keeps the initializer seeds every committed model was built with (the mulberry32 copy it had before)', () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 3 },
        (
          (s) => () =>
            s.next()
        )(new SeedSequence(seed)),
      );
    expect(draw(42)).toEqual([2067236868, 4231632130, 3169330198]);
    expect(draw(-(2 ** 35) + 5)).toEqual([61753775, 1584150616, 2915414661]);
  });

  it('gives different streams for different seeds', () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 8 },
        (
          (s) => () =>
            s.next()
        )(new SeedSequence(seed)),
      );
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw(0)).not.toEqual(draw(2 ** 32));
  });
});

describe('weight initialisation as in the papers', () => {
  it('WRN: He normal with fan_in, drawn from the full (untruncated) normal', () => {
    const model = wideResNet({ depth: 10, widen: 4, seed: 3, inputShape: [8, 8, 3] });
    const kernel = model.getLayer('group3_block1_conv2').getWeights()[0]!;
    expect(kernel.shape).toEqual([3, 3, 256, 256]);
    const s = stats(kernel.dataSync());
    const expected = Math.sqrt(2 / (3 * 3 * 256));
    expect(Math.abs(s.std - expected) / expected).toBeLessThan(0.01);
    expect(Math.abs(s.mean)).toBeLessThan((4 * expected) / Math.sqrt(s.n));
    // tfjs's heNormal truncates at 2 sigma; 590k normal draws reach beyond 4 sigma.
    expect(s.maxAbs / expected).toBeGreaterThan(4);
    model.dispose();
  });

  it("DenseNet-BC: He normal with fan_out (k * k * out_channels), as in the authors' code", () => {
    const model = denseNetBC({ depth: 40, growthRate: 12, seed: 3 });
    const kernel = model.getLayer('block3_layer6_conv2').getWeights()[0]!;
    expect(kernel.shape).toEqual([3, 3, 48, 12]);
    const s = stats(kernel.dataSync());
    const fanOut = Math.sqrt(2 / (3 * 3 * 12));
    expect(Math.abs(s.std - fanOut) / fanOut).toBeLessThan(0.05);
    model.dispose();
  });

  it('Conv-4: PyTorch default U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for kernel and bias; BN gamma 1, beta 0', () => {
    const model = conv4({ seed: 3 });
    const [kernel, bias] = model.getLayer('block2_conv').getWeights();
    const bound = 1 / Math.sqrt(3 * 3 * 64);
    const k = stats(kernel!.dataSync());
    expect(k.maxAbs).toBeLessThanOrEqual(bound);
    expect(k.maxAbs).toBeGreaterThan(0.99 * bound);
    expect(Math.abs(k.std - bound / Math.sqrt(3)) / (bound / Math.sqrt(3))).toBeLessThan(0.02);
    expect(stats(bias!.dataSync()).maxAbs).toBeLessThanOrEqual(bound);
    const [gamma, beta, movingMean, movingVariance] = model.getLayer('block2_bn').getWeights();
    expect(Array.from(gamma!.dataSync()).every((v) => v === 1)).toBe(true);
    expect(Array.from(beta!.dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(movingMean!.dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(movingVariance!.dataSync()).every((v) => v === 1)).toBe(true);
    model.dispose();
  });

  it('the same seed gives the same weights, another seed other weights, and layers differ from each other', () => {
    const weights = (seed: number) => {
      const model = denseNetBC({ depth: 10, seed });
      const values = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return values;
    };
    const a = weights(5);
    expect(weights(5)).toEqual(a);
    const b = weights(6);
    expect(b[0]).not.toEqual(a[0]);
    const convKernels = a.filter((w) => w.length > 300);
    expect(convKernels[0]!.slice(0, 20)).not.toEqual(convKernels[1]!.slice(0, 20));
  });
});
