// Input standardization (a data option of the OOD config, issue 14): per-channel mean and std of the
// ID training images, applied to every image a model sees. The statistics are exact: a per-channel
// histogram of the uint8 values gives the sums in float64 (integers far below 2^53), no float copy.
import type { ImageSet, Normalization } from '@curvad/datasets';
import type { FloatImages } from '../../../core/eval-images';
import type { InputStandardization } from '../../../core/results/results-file';
import { ExperimentError } from '../../../experiment-error';

const BYTE_LEVELS = 256;
/** Pixels are read on the [0, 1] scale, v / 255, as without standardization. */
const BYTE_MAX = 255;

/**
 * Mean and population std (divided by the count, as numpy's and torchvision's recipes) per channel
 * of `set`'s pixels on the [0, 1] scale. A channel with std 0 cannot be standardized: refused.
 */
export function channelStatistics(set: ImageSet): InputStandardization {
  const [n, h, w, channels] = set.shape;
  const counts = Array.from({ length: channels }, () => new Float64Array(BYTE_LEVELS));
  const { images } = set;
  for (let i = 0; i < images.length; i++) counts[i % channels]![images[i]!]!++;
  const perChannel = n * h * w;
  const mean: number[] = [];
  const std: number[] = [];
  for (const histogram of counts) {
    let sum = 0;
    let squares = 0;
    for (let v = 0; v < BYTE_LEVELS; v++) {
      sum += histogram[v]! * v;
      squares += histogram[v]! * v * v;
    }
    const m = sum / perChannel;
    mean.push(m / BYTE_MAX);
    std.push(Math.sqrt(Math.max(0, squares / perChannel - m * m)) / BYTE_MAX);
  }
  const flat = std.findIndex((s) => !(s > 0));
  if (n === 0 || flat >= 0) {
    throw new ExperimentError(
      n === 0
        ? "data.standardize: the ID training set is empty, so it has no mean and std; check the configuration's id.classes and limits.train."
        : `data.standardize: channel ${flat} of the ID training images is constant (std 0), so it cannot be standardized; set data.standardize to false.`,
    );
  }
  return { mean, std, images: n };
}

/** The datasets pipeline's `normalize` option for these statistics: (v / 255 - mean[c]) / std[c]. */
export function standardizingNormalization(stats: InputStandardization): Normalization {
  return { scale: 1 / BYTE_MAX, mean: stats.mean, std: stats.std };
}

/** Standardizes images generated as float32 on [0, 1] (noise sets) in place, as the pipeline does a dataset's. */
export function standardizeFloatImages(images: FloatImages, stats: InputStandardization): FloatImages {
  const channels = images.shape[3];
  const { x } = images;
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    x[i] = (x[i]! - stats.mean[c]!) / stats.std[c]!;
  }
  return images;
}
