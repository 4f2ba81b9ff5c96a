// torchvision's ColorJitter with RandomApply, as SimCLR and CSI use it (CSI on CIFAR: brightness,
// contrast, saturation 0.4, hue 0.1, applied with p = 0.8): with probability p, factors are drawn
// uniformly (brightness, contrast, saturation in [max(0, 1 - s), 1 + s], hue in [-s, s]) and the
// four adjustments run in a random order (torchvision's randperm). Grey (1-channel) images get
// brightness and contrast only: saturation and hue do not exist for them (torchvision leaves a grey
// image unchanged there too). Images hold values in [0, maxValue] (default 1: normalise with
// scale 1/255 and no mean / std, standardise later).
import { DatasetError } from '../errors.js';
import type { Rng } from '../random.js';
import type { Augmentation, HWC } from './augment.js';
import { adjustBrightness, adjustContrast, adjustHue, adjustSaturation } from './color-adjust.js';

export interface ColorJitterOptions {
  /** Brightness strength s >= 0 (factor in [max(0, 1 - s), 1 + s]). Default 0 (off). */
  brightness?: number;
  /** Contrast strength s >= 0. Default 0 (off). */
  contrast?: number;
  /** Saturation strength s >= 0 (RGB only). Default 0 (off). */
  saturation?: number;
  /** Hue strength s in [0, 0.5]: shift in [-s, s] turns (RGB only). Default 0 (off). */
  hue?: number;
  /** Probability of jittering an image at all (RandomApply). Default 1. */
  p?: number;
  /** Largest pixel value: images hold values in [0, maxValue]. Default 1. */
  maxValue?: number;
}

type Adjust = (image: Float32Array, shape: HWC) => Float32Array;

function nonNegative(value: number | undefined, name: string, max = Number.POSITIVE_INFINITY): number {
  const v = value ?? 0;
  if (!(typeof v === 'number' && v >= 0 && v <= max))
    throw new DatasetError(`colorJitter: ${name} must be a number in [0, ${max}], got ${String(value)}.`);
  return v;
}

/** Random brightness, contrast, saturation and hue changes in a random order, with probability p. */
export function colorJitter(options: ColorJitterOptions = {}): Augmentation {
  const brightness = nonNegative(options.brightness, 'brightness');
  const contrast = nonNegative(options.contrast, 'contrast');
  const saturation = nonNegative(options.saturation, 'saturation');
  const hue = nonNegative(options.hue, 'hue', 0.5);
  const p = nonNegative(options.p ?? 1, 'p', 1);
  const maxValue = options.maxValue ?? 1;
  if (!(maxValue > 0 && Number.isFinite(maxValue)))
    throw new DatasetError(`colorJitter: maxValue must be a finite number > 0, got ${String(maxValue)}.`);
  const factor = (s: number, rng: Rng) => Math.max(0, 1 - s) + (1 + s - Math.max(0, 1 - s)) * rng();
  return (image, shape, rng) => {
    if (shape[2] !== 1 && shape[2] !== 3)
      throw new DatasetError(`colorJitter: the image has ${shape[2]} channels; give grey (1) or RGB (3) images.`);
    if (!(rng() < p)) return image.slice();
    // torchvision draws the order first, then each enabled factor in the fixed order b, c, s, h.
    const order = [0, 1, 2, 3];
    for (let i = 3; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const rgb = shape[2] === 3;
    const adjust: (Adjust | undefined)[] = [undefined, undefined, undefined, undefined];
    if (brightness > 0) {
      const f = factor(brightness, rng);
      adjust[0] = (img, s) => adjustBrightness(img, s, f, maxValue);
    }
    if (contrast > 0) {
      const f = factor(contrast, rng);
      adjust[1] = (img, s) => adjustContrast(img, s, f, maxValue);
    }
    if (saturation > 0) {
      const f = factor(saturation, rng);
      if (rgb) adjust[2] = (img, s) => adjustSaturation(img, s, f, maxValue);
    }
    if (hue > 0) {
      const shift = -hue + 2 * hue * rng();
      if (rgb) adjust[3] = (img, s) => adjustHue(img, s, shift, maxValue);
    }
    let out = image;
    for (const k of order) out = adjust[k]?.(out, shape) ?? out;
    return out === image ? image.slice() : out;
  };
}
