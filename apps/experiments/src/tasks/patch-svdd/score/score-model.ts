// Scoring a trained Patch-SVDD model on a category's test images, at both scales (K at stride
// patch.largeStride, K/2 at patch.smallStride), each patch score spread back to the pixels it covers
// (distribute-scores.ts) and the two scales' maps averaged:
// - 'dagger' (the paper's scoring without training data, Table VIII): each patch paired with a
//   jittered neighbour in a random direction (the released crop_CHW_jit), its classifiers' logits read
//   by anomaly-scores: baseline 1 - MSP; GiO z_S / z_H / z_M (ranked, higher = anomalous); GiT the
//   released tanh(KL(softmax(E) || softmax(G))) (MiT: sqrt(KL_S^2 + KL_H^2)), larger = anomalous.
// - 'knn' (Patch-SVDD's own scoring, Table IX): the raw Euclidean distance of each patch embedding to
//   its nearest training patch embedding, as the reference code (anomaly-scores' fitKnn with k = 1 and
//   normalize: false, blocked matrix products).
import {
  divergenceScore,
  fitKnn,
  hyperbolicScore,
  maxSoftmaxScore,
  mixedDivergenceScore,
  mixedScore,
  sphericalScore,
} from '@curvad/anomaly-scores';
import { createRng, extractPatch, type Rng } from '@curvad/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { InterruptedError } from '../../../experiment-error';
import { PATCH_SVDD_MODEL_TABLE, type PatchSvddConfig, type PatchSvddScoring } from '../config/patch-svdd-config';
import { type FloatImages, neighbourCorner } from '../data/patch-pairs';
import { applyPositionClassifiers, type BuiltPatchSvdd, PATCH_SCALES, type PatchScale, type PositionOutputs } from '../model/build-model';
import { distributeScores, patchGridSize } from './distribute-scores';

/** Patches per encoder pass at scoring. */
export const SCORE_BATCH_PATCHES = 256;
/** KNN: test rows per similarity chunk and training rows per block (a 1024 x 8192 float32 block is 32 MB). */
const KNN_BATCH_ROWS = 1024;
const KNN_TRAIN_BLOCK = 8192;

export interface ScaleGeometry {
  K: number;
  S: number;
  rows: number;
  cols: number;
}

export function scaleGeometry(
  built: BuiltPatchSvdd,
  config: Pick<PatchSvddConfig, 'patch'>,
  H: number,
  W: number,
  scale: PatchScale,
): ScaleGeometry {
  const K = built.patchSize[scale];
  const S = scale === 'large' ? config.patch.largeStride : config.patch.smallStride;
  const [rows, cols] = patchGridSize(H, W, K, S);
  return { K, S, rows, cols };
}

/** The patches `first .. first + count - 1` of the images' grid (image-major, then row, column) as [count, K, K, C]. */
function gridPatches(images: FloatImages, g: ScaleGeometry, first: number, count: number, jitter?: Rng): Float32Array {
  const [, H, W, C] = images.shape;
  const per = H * W * C;
  const size = g.K * g.K * C;
  const out = new Float32Array(count * size);
  const perImage = g.rows * g.cols;
  for (let p = 0; p < count; p++) {
    const index = first + p;
    const n = Math.floor(index / perImage);
    const i = Math.floor((index % perImage) / g.cols);
    const j = index % g.cols;
    let [y, x] = [i * g.S, j * g.S];
    if (jitter) [y, x] = neighbourCorner(y, x, jitter.int(8), g.K, H, W, jitter);
    extractPatch(images.pixels.subarray(n * per, (n + 1) * per), [H, W, C], g.K, y, x, out, p * size);
  }
  return out;
}

/** Every grid patch's embedding [patches, D] (image-major); the caller disposes it. */
export function embedGrid(
  built: BuiltPatchSvdd,
  scale: PatchScale,
  images: FloatImages,
  g: ScaleGeometry,
  signal?: AbortSignal,
): tf.Tensor2D {
  const total = images.shape[0] * g.rows * g.cols;
  const C = images.shape[3];
  const parts: tf.Tensor2D[] = [];
  try {
    for (let start = 0; start < total; start += SCORE_BATCH_PATCHES) {
      if (signal?.aborted) throw new InterruptedError('interrupted during scoring');
      const count = Math.min(SCORE_BATCH_PATCHES, total - start);
      const patches = gridPatches(images, g, start, count);
      parts.push(
        tf.tidy(() => built.encoders[scale].apply(tf.tensor4d(patches, [count, g.K, g.K, C]), { training: false }) as tf.Tensor2D),
      );
    }
    return tf.concat(parts) as tf.Tensor2D;
  } finally {
    tf.dispose(parts);
  }
}

/** The dagger score of each pair from the classifiers' outputs (higher = more anomalous). */
export function daggerScores(built: BuiltPatchSvdd, scale: PatchScale, out: PositionOutputs): Float32Array {
  const { kind } = PATCH_SVDD_MODEL_TABLE[built.name];
  const k = built.classifiers[scale].k;
  if (kind === 'baseline') return maxSoftmaxScore(out.euclidean!);
  if (kind === 'gio') {
    if (out.sphere && out.poincare) {
      return mixedScore(
        [
          { space: 'spherical', logits: out.sphere },
          { space: 'hyperbolic', embedding: out.poincareEmbedding!, k: k.poincare! },
        ],
        { output: 'rank' },
      );
    }
    if (out.sphere) return sphericalScore(out.sphere, { output: 'rank' });
    return hyperbolicScore(out.poincareEmbedding!, { k: k.poincare!, output: 'rank' });
  }
  if (out.sphere && out.poincare) return mixedDivergenceScore(out.euclidean!, [out.sphere, out.poincare], { output: 'rank' });
  return divergenceScore(out.euclidean!, (out.sphere ?? out.poincare)!, { output: 'rank' });
}

/** Dagger patch scores of one scale [patches] (image-major): each grid patch against a jittered neighbour drawn from `rng`. */
export function daggerPatchScores(
  built: BuiltPatchSvdd,
  scale: PatchScale,
  images: FloatImages,
  g: ScaleGeometry,
  rng: Rng,
  signal?: AbortSignal,
): Float32Array {
  const total = images.shape[0] * g.rows * g.cols;
  const C = images.shape[3];
  const scores = new Float32Array(total);
  for (let start = 0; start < total; start += SCORE_BATCH_PATCHES) {
    if (signal?.aborted) throw new InterruptedError('interrupted during scoring');
    const count = Math.min(SCORE_BATCH_PATCHES, total - start);
    const centres = gridPatches(images, g, start, count);
    const neighbours = gridPatches(images, g, start, count, rng);
    const chunk = tf.tidy(() => {
      const shape: [number, number, number, number] = [count, g.K, g.K, C];
      const both = built.encoders[scale].apply(tf.concat([tf.tensor4d(centres, shape), tf.tensor4d(neighbours, shape)]), {
        training: false,
      }) as tf.Tensor2D;
      const [centre, neighbour] = tf.split(both, 2, 0) as tf.Tensor2D[];
      const out = applyPositionClassifiers(built.classifiers[scale], centre!, neighbour!, tf.sub(centre!, neighbour!), false);
      return daggerScores(built, scale, out);
    });
    scores.set(chunk, start);
  }
  return scores;
}

/** Patch-SVDD patch scores of one scale: distance of each test patch embedding to its nearest training patch embedding. */
export function knnPatchScores(
  built: BuiltPatchSvdd,
  scale: PatchScale,
  train: FloatImages,
  test: FloatImages,
  g: ScaleGeometry,
  signal?: AbortSignal,
): Float32Array {
  const trainEmbeddings = embedGrid(built, scale, train, g, signal);
  const knn = fitKnn(trainEmbeddings, { k: 1, trainBlockSize: KNN_TRAIN_BLOCK, normalize: false });
  trainEmbeddings.dispose();
  try {
    const testEmbeddings = embedGrid(built, scale, test, g, signal);
    try {
      return knn.score(testEmbeddings, { batchSize: KNN_BATCH_ROWS });
    } finally {
      testEmbeddings.dispose();
    }
  } finally {
    knn.dispose();
  }
}

/** The maps [images, H, W] of patch scores of both scales: each scale distributed to pixels, then the two averaged. */
export function combineScales(
  perScale: Record<PatchScale, Float32Array>,
  geometry: Record<PatchScale, ScaleGeometry>,
  images: number,
  H: number,
  W: number,
): Float32Array {
  const maps = new Float32Array(images * H * W);
  for (const scale of PATCH_SCALES) {
    const g = geometry[scale];
    const perImage = g.rows * g.cols;
    for (let n = 0; n < images; n++) {
      const map = distributeScores(perScale[scale].subarray(n * perImage, (n + 1) * perImage), g.rows, g.cols, H, W, g.K, g.S);
      for (let p = 0; p < map.length; p++) maps[n * H * W + p]! += map[p]! / PATCH_SCALES.length;
    }
  }
  return maps;
}

/** Each scoring's maps [images, H, W] of the test images. `seed` draws the dagger neighbours (the same for every model of a trial). */
export function scorePatchSvdd(
  built: BuiltPatchSvdd,
  config: PatchSvddConfig,
  train: FloatImages,
  test: FloatImages,
  seed: number,
  signal?: AbortSignal,
): Map<PatchSvddScoring, Float32Array> {
  const [images, H, W] = test.shape;
  const geometry = { large: scaleGeometry(built, config, H, W, 'large'), small: scaleGeometry(built, config, H, W, 'small') };
  const out = new Map<PatchSvddScoring, Float32Array>();
  for (const scoring of config.scorings) {
    const rng = createRng(seed);
    const perScale = {} as Record<PatchScale, Float32Array>;
    for (const scale of PATCH_SCALES) {
      perScale[scale] =
        scoring === 'dagger'
          ? daggerPatchScores(built, scale, test, geometry[scale], rng, signal)
          : knnPatchScores(built, scale, train, test, geometry[scale], signal);
    }
    out.set(scoring, combineScales(perScale, geometry, images, H, W));
  }
  return out;
}
