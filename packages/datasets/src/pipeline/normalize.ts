import { DatasetError } from '../errors.js';

export interface Normalization {
  /** Multiplies the raw 0..255 value first (default 1/255, giving [0, 1]). */
  scale?: number;
  /** Per-channel mean subtracted after scaling (default 0). */
  mean?: readonly number[];
  /** Per-channel standard deviation divided by after subtracting the mean (default 1). */
  std?: readonly number[];
}

/** Per-channel statistics of the CIFAR-10 training set on the [0, 1] scale, as used by the OOD literature. */
export const CIFAR10_MEAN = [0.4914, 0.4822, 0.4465] as const;
export const CIFAR10_STD = [0.247, 0.2435, 0.2616] as const;

const BYTE_SCALE = 1 / 255;

/** uint8 HWC pixels (any count of images) to float32: (v * scale - mean[c]) / std[c]. */
export function normalizePixels(pixels: Uint8Array, channels: number, options: Normalization = {}): Float32Array {
  const scale = options.scale ?? BYTE_SCALE;
  const mean = options.mean ?? new Array<number>(channels).fill(0);
  const std = options.std ?? new Array<number>(channels).fill(1);
  if (mean.length !== channels || std.length !== channels) {
    throw new DatasetError(
      `normalizePixels: mean and std need ${channels} entries (one per channel), got ${mean.length} and ${std.length}.`,
    );
  }
  if (!Number.isFinite(scale) || std.some((s) => !(Number.isFinite(s) && s > 0)) || mean.some((m) => !Number.isFinite(m))) {
    throw new DatasetError(
      `normalizePixels: scale and mean must be finite and every std a positive finite number (std: [${std.join(', ')}]).`,
    );
  }
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    const ch = i % channels;
    out[i] = (pixels[i]! * scale - mean[ch]!) / std[ch]!;
  }
  return out;
}
