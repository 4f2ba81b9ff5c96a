// SimCLR's augmentation (Chen et al. 2020) with CSI's settings for CIFAR-10 (Tack et al. 2020,
// alinlab/CSI get_simclr_augmentation: resize_factor 0.08, ColorJitterLayer 0.4 / 0.4 / 0.4 / 0.1
// with p 0.8, RandomColorGrayLayer p 0.2, plus the horizontal flip of every view):
// random resized crop (scale [0.08, 1], ratio [3/4, 4/3]) -> horizontal flip (p 0.5) -> colour
// jitter (p 0.8) -> greyscale (p 0.2), SimCLR's torchvision order. (CSI's GPU layers run flip,
// jitter, grey, then the crop; the colour operations act per pixel or on image means, so the
// order changes little.) Grey images (1 channel) get the crop, the flip and brightness / contrast
// jitter only.
import { DatasetError } from '../errors.js';
import { type Augmentation, composeAugmentations, type HWC, randomHorizontalFlip } from './augment.js';
import { colorJitter } from './color-jitter.js';
import { randomGrayscale } from './random-grayscale.js';
import { randomResizedCrop } from './random-resized-crop.js';

export interface SimclrAugmentationOptions {
  /** Crop area range. Default [0.08, 1] (CSI's resize_factor 0.08). */
  scale?: readonly [number, number];
  /** Crop aspect ratio range. Default [3/4, 4/3]. */
  ratio?: readonly [number, number];
  /** Horizontal flip probability. Default 0.5. */
  flip?: number;
  /** Jitter strengths. Default 0.4 / 0.4 / 0.4 / 0.1 (CSI, CIFAR). */
  brightness?: number;
  contrast?: number;
  saturation?: number;
  hue?: number;
  /** Probability of the colour jitter. Default 0.8. */
  jitterP?: number;
  /** Probability of greying an RGB image. Default 0.2. */
  grayscaleP?: number;
  /** Largest pixel value (images in [0, maxValue]). Default 1. */
  maxValue?: number;
}

/** CSI's CIFAR-10 settings, the defaults of `simclrAugmentation`. */
export const CSI_SIMCLR_AUGMENTATION: Readonly<Required<Omit<SimclrAugmentationOptions, 'maxValue'>>> = {
  scale: [0.08, 1],
  ratio: [3 / 4, 4 / 3],
  flip: 0.5,
  brightness: 0.4,
  contrast: 0.4,
  saturation: 0.4,
  hue: 0.1,
  jitterP: 0.8,
  grayscaleP: 0.2,
};

/**
 * The SimCLR / CSI augmentation for images of `shape` (grey or RGB): crop, flip, jitter, grey.
 * The returned augmentation refuses images of another shape.
 */
export function simclrAugmentation(shape: HWC, options: SimclrAugmentationOptions = {}): Augmentation {
  const [h, w, c] = shape;
  if (![h, w].every((v) => Number.isInteger(v) && v >= 1) || (c !== 1 && c !== 3)) {
    throw new DatasetError(`simclrAugmentation: shape must be [height, width, 1 or 3], got [${shape.join(', ')}].`);
  }
  const o = { ...CSI_SIMCLR_AUGMENTATION, ...options };
  const rgb = c === 3;
  const steps: Augmentation[] = [
    randomResizedCrop({ scale: o.scale, ratio: o.ratio }),
    randomHorizontalFlip(o.flip),
    colorJitter({
      brightness: o.brightness,
      contrast: o.contrast,
      saturation: rgb ? o.saturation : 0,
      hue: rgb ? o.hue : 0,
      p: o.jitterP,
      maxValue: options.maxValue ?? 1,
    }),
  ];
  if (rgb) steps.push(randomGrayscale(o.grayscaleP));
  const augment = composeAugmentations(...steps);
  return (image, imageShape, rng) => {
    if (imageShape[0] !== h || imageShape[1] !== w || imageShape[2] !== c) {
      throw new DatasetError(`simclrAugmentation: made for [${shape.join(', ')}] images, got one of shape [${imageShape.join(', ')}].`);
    }
    return augment(image, imageShape, rng);
  };
}
