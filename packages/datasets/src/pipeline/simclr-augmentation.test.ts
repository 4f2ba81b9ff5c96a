import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { blobSet } from '../test-support/toy-sets.js';
import { batches } from './batches.js';
import { colorJitter } from './color-jitter.js';
import { randomResizedCrop } from './random-resized-crop.js';
import { CSI_SIMCLR_AUGMENTATION, simclrAugmentation } from './simclr-augmentation.js';

const image = (n: number, seed: number) => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng());
};

describe('simclrAugmentation (CSI on CIFAR)', () => {
  it("has CSI's settings as defaults", () => {
    expect(CSI_SIMCLR_AUGMENTATION).toMatchObject({
      scale: [0.08, 1],
      brightness: 0.4,
      contrast: 0.4,
      saturation: 0.4,
      hue: 0.1,
      jitterP: 0.8,
      grayscaleP: 0.2,
    });
  });

  it('is deterministic under a seed, keeps shape and range, for RGB and grey images', () => {
    for (const shape of [
      [32, 32, 3],
      [28, 28, 1],
    ] as const) {
      const img = image(shape[0] * shape[1] * shape[2], 1);
      const augment = simclrAugmentation([...shape]);
      const a = augment(img, [...shape], createRng(5));
      expect(Array.from(augment(img, [...shape], createRng(5)))).toEqual(Array.from(a));
      expect(a.length).toBe(img.length);
      const rng = createRng(6);
      for (let i = 0; i < 20; i++) for (const v of augment(img, [...shape], rng)) expect(v >= 0 && v <= 1).toBe(true);
      expect(Array.from(augment(img, [...shape], createRng(8)))).not.toEqual(Array.from(a));
    }
  });

  it('with every random part switched off is the identity', () => {
    const img = image(6 * 6 * 3, 2);
    const off = simclrAugmentation([6, 6, 3], { scale: [1, 1], ratio: [1, 1], flip: 0, jitterP: 0, grayscaleP: 0 });
    expect(Array.from(off(img, [6, 6, 3], createRng(1)))).toEqual(Array.from(img));
  });

  it('refuses other shapes and channel counts', () => {
    expect(() => simclrAugmentation([4, 4, 2])).toThrow(/\[height, width, 1 or 3\]/);
    expect(() => simclrAugmentation([4, 4, 3])(new Float32Array(48 * 4), [8, 8, 3], createRng(1))).toThrow(/made for \[4, 4, 3\]/);
  });
});

it('README SimCLR augmentation example runs (keep the two in sync)', () => {
  const set = blobSet(8, 32, 32, 3, 2);
  // ---- README example start ----
  const augment = simclrAugmentation([32, 32, 3]); // CSI's CIFAR-10 settings
  const image = new Float32Array(32 * 32 * 3).fill(0.5);
  const rng = createRng(0);
  const viewA = augment(image, [32, 32, 3], rng);
  const viewB = augment(image, [32, 32, 3], rng); // another draw: another view of the same image

  // Grey images (Fashion-MNIST): crop, flip and brightness / contrast jitter only.
  const grey = simclrAugmentation([28, 28, 1], { scale: [0.2, 1] });
  // The parts on their own:
  const crop = randomResizedCrop({ scale: [0.08, 1], ratio: [3 / 4, 4 / 3] });
  const jitter = colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, p: 0.8 });

  // In the batch pipeline: pixels scaled to [0, 1] (the default normalisation), one random view per image.
  for (const batch of batches(set, { batchSize: 4, seed: 0, epoch: 0, augment })) {
    batch.images; // 4 x 32 x 32 x 3 floats, each image augmented
  }
  // ---- README example end ----
  expect(viewA).toHaveLength(3072);
  expect(Array.from(viewB)).not.toEqual(Array.from(viewA));
  expect(grey(new Float32Array(784).fill(0.5), [28, 28, 1], createRng(1))).toHaveLength(784);
  expect(crop(image, [32, 32, 3], createRng(2))).toHaveLength(3072);
  expect(jitter(image, [32, 32, 3], createRng(3))).toHaveLength(3072);
  const first = [...batches(set, { batchSize: 4, seed: 0, epoch: 0, augment })][0]!;
  expect(first.images.every((v) => v >= 0 && v <= 1)).toBe(true);
});
