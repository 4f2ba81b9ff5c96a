import { describe, expect, it } from 'vitest';
import { conv4 } from './conv4';
import { denseNetBC } from './densenet-bc';
import { BackboneError } from './errors';
import { patchSvddEncoder } from './patch-svdd';
import { segmentationUNet } from './segmentation-unet';
import { smallCnn } from './small-cnn';
import { wideResNet } from './wide-resnet';
import { withClassifier } from './with-classifier';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('BackboneError', () => {
  it('is recognised by its marker, also across copies of the class', () => {
    const error = new BackboneError('bad');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('BackboneError');
    expect(BackboneError.isInstance(error)).toBe(true);
    const fromAnotherCopy = Object.assign(new Error('x'), { [Symbol.for('curvad.error.backbones')]: true });
    expect(BackboneError.isInstance(fromAnotherCopy)).toBe(true);
    expect(BackboneError.isInstance(new Error('x'))).toBe(false);
    expect(BackboneError.isInstance(null)).toBe(false);
    expect(BackboneError.isInstance('BackboneError')).toBe(false);
  });

  it.each([8, 27, 29, 3, 0, 28.5])('wideResNet rejects depth %s ((depth - 4) % 6 must be 0)', (depth) => {
    const error = thrown(() => wideResNet({ depth }));
    expect(BackboneError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/\(depth - 4\) % 6 === 0/);
  });

  it.each([99, 101, 4, -2])('denseNetBC rejects depth %s', (depth) => {
    expect(() => denseNetBC({ depth })).toThrowError(/denseNetBC: depth must satisfy \(depth - 4\) % 6 === 0/);
  });

  it('rejects bad numbers with the option named', () => {
    expect(() => wideResNet({ depth: 16, widen: 0 })).toThrowError(/widen must be a positive integer, got 0/);
    expect(() => wideResNet({ depth: 16, dropRate: 1 })).toThrowError(/dropRate must be in \[0, 1\)/);
    expect(() => denseNetBC({ depth: 10, reduction: 0 })).toThrowError(/reduction must be in \(0, 1\]/);
    expect(() => denseNetBC({ depth: 10, growthRate: Number.NaN })).toThrowError(/growthRate/);
    expect(() => smallCnn({ seed: 1.5 })).toThrowError(/seed must be a safe integer/);
    expect(() => smallCnn({ weightDecay: -1 })).toThrowError(/weightDecay must be a finite number >= 0/);
    expect(() => smallCnn({ filters: [16] as unknown as [number, number] })).toThrowError(/filters must be two channel counts/);
    expect(() => patchSvddEncoder({ patchSize: 48 })).toThrowError(/patchSize must be 32, 64, 128/);
    expect(() => segmentationUNet({ depth: 7 })).toThrowError(/depth must be at most 6/);
  });

  it('rejects bad input shapes and says what is allowed', () => {
    expect(() => conv4({ inputShape: [28, 28] as unknown as [number, number, number] })).toThrowError(
      /inputShape must be \[height, width, channels\]/,
    );
    expect(() => conv4({ inputShape: [28, 0, 1] })).toThrowError(/positive integers/);
    expect(() => conv4({ inputShape: [8, 8, 1] })).toThrowError(/too small; height and width must be at least 16/);
    expect(() => segmentationUNet({ depth: 3, inputShape: [60, 64, 3] })).toThrowError(/multiples of 8, got 60x64x3/);
  });

  it('withClassifier rejects a bad class count', () => {
    const backbone = smallCnn();
    expect(() => withClassifier(backbone, 0)).toThrowError(/classes must be a positive integer/);
    backbone.dispose();
  });
});
