// torchvision's RandomGrayscale (SimCLR, CSI: p = 0.2): with probability p, an RGB image becomes its
// grey levels (ITU-R 601-2 luma) repeated in the three channels, so the shape is kept.
import { DatasetError } from '../errors.js';
import type { Augmentation } from './augment.js';
import { toGrayscale } from './color-adjust.js';

/** Greys an RGB image with probability `p` (default 0.1, torchvision's). RGB images only. */
export function randomGrayscale(p = 0.1): Augmentation {
  if (!(p >= 0 && p <= 1)) throw new DatasetError(`randomGrayscale: p must lie in [0, 1], got ${p}.`);
  return (image, shape, rng) => {
    if (shape[2] !== 3) {
      throw new DatasetError(
        `randomGrayscale: the image has ${shape[2]} channels; it greys RGB images (3 channels) only, so leave it out for grey data.`,
      );
    }
    return rng() < p ? toGrayscale(image, shape) : image.slice();
  };
}
