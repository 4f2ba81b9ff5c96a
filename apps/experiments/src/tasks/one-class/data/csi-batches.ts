// CSI's training batches (Tack et al. 2020, Sec. 2.2): B images of the normal class -> two SimCLR
// views of each (the datasets pipeline's simclrAugmentation, CSI's settings) -> each view in its
// four rotations (rotationBatch) -> 8B rows laid out as ntXentLoss wants its instances:
//   row v * 4B + r * B + i = view v (0, 1) of image i turned by r quarter turns,
// so the 4B (image, rotation) instances are the rows of one view and rotated copies of an image are
// different instances (negatives of each other). Targets are the rotations r (the shift classifier's
// labels). The released code (alinlab/CSI, simclr_CSI.py) augments after rotating, each of the 8B
// rows on its own; here the four rotations of a view share one crop (the brief's order), which keeps
// the rotation label exact for every pixel.
import { batches, type ImageSet, rotationBatch, simclrAugmentation } from '@curvad/datasets';
import { tensorBatches } from '@curvad/datasets/tfjs';
import type { TrainBatch } from '@curvad/geo-layers';
import { epochOrderSeed } from '../../../core/seeds';

/** Views of each image (SimCLR's pair). */
export const CSI_VIEWS = 2;
const ROTATIONS = 4;
/** Golden-ratio offset between the two views' augmentation seeds (an odd 32-bit constant, no overlap with the epoch stride). */
const VIEW_SEED_STRIDE = 0x9e3779b1;

export interface CsiBatchOptions {
  /** Area range of the random resized crop (CSI: [0.08, 1]). */
  cropScale: readonly [number, number];
}

/** The augmentation seed of view `view` of epoch `epoch` of a unit seeded `unit` (the core's epoch seed, offset per view). */
export function csiViewSeed(unit: number, epoch: number, view: number): number {
  return (epochOrderSeed(unit, epoch) + view * VIEW_SEED_STRIDE) >>> 0;
}

/** Rows of an image-major rotation batch (4i + r) reordered to rotation-major (r * n + i). */
function rotationMajor(images: Float32Array, n: number, per: number, out: Float32Array, offset: number): void {
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < ROTATIONS; r++) {
      out.set(images.subarray((ROTATIONS * i + r) * per, (ROTATIONS * i + r + 1) * per), offset + (r * n + i) * per);
    }
  }
}

/**
 * The CSI batches of one epoch: `batchSize` images of `set` in `order`, each batch 8 x its images
 * rows (layout above), float32 in [0, 1], rotation labels as targets. View v of epoch e is
 * augmented with csiViewSeed(unit, e, v), so a unit's batches are the same on every run.
 */
export function* csiTrainBatches(
  set: ImageSet,
  batchSize: number,
  order: ArrayLike<number>,
  seeds: { unit: number; epoch: number },
  options: CsiBatchOptions,
): Generator<TrainBatch, void, undefined> {
  const [, h, w, c] = set.shape;
  const augment = simclrAugmentation([h, w, c], { scale: options.cropScale });
  const views = Array.from({ length: CSI_VIEWS }, (_, v) =>
    batches(set, { batchSize, order, seed: csiViewSeed(seeds.unit, seeds.epoch, v), augment }),
  );
  const per = h * w * c;
  const combined = (function* () {
    while (true) {
      const steps = views.map((g) => g.next());
      const done = steps.find((s) => s.done);
      if (done) return;
      const parts = steps.map((s) => rotationBatch(s.value as Exclude<typeof s.value, void>));
      const n = parts[0]!.shape[0] / ROTATIONS;
      const images = new Float32Array(CSI_VIEWS * ROTATIONS * n * per);
      const labels = new Uint8Array(CSI_VIEWS * ROTATIONS * n);
      const indices = new Uint32Array(labels.length);
      parts.forEach((part, v) => {
        rotationMajor(part.images, n, per, images, v * ROTATIONS * n * per);
        for (let r = 0; r < ROTATIONS; r++) {
          for (let i = 0; i < n; i++) {
            labels[v * ROTATIONS * n + r * n + i] = r;
            indices[v * ROTATIONS * n + r * n + i] = part.indices[ROTATIONS * i]!;
          }
        }
      });
      yield { images, labels, indices, shape: [labels.length, h, w, c] as [number, number, number, number] };
    }
  })();
  for (const batch of tensorBatches(combined)) yield { inputs: batch.images, targets: batch.labels };
}
