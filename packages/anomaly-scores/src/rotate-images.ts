// RotNet's four transformations (Gidaris et al. 2018; Golan & El-Yaniv 2018) on NHWC tensors: a
// quarter turn r = 0..3 counter-clockwise, the same pixels as @curvad/datasets' rotate90 and
// rotationBatch, so a score's rotation r is the one the model was trained to call r.
import * as tf from '@tensorflow/tfjs-core';
import { AnomalyScoreError } from './errors';

/** The number of RotNet transformations: 0, 90, 180 and 270 degrees. */
export const ROTATIONS = 4;

function checkSquareImages(x: tf.Tensor, fn: string): void {
  if (x.rank !== 4 || x.shape[1] !== x.shape[2]) {
    throw new AnomalyScoreError(
      `${fn}: expected square NHWC images [batch, n, n, channels], got shape [${x.shape.join(', ')}]; RotNet's rotations need square images.`,
    );
  }
}

/**
 * The images turned by `turns` quarter turns counter-clockwise: out[y][x] = in[x][n-1-y] for one
 * turn, as @curvad/datasets' rotate90 (whose loop this matches pixel for pixel).
 */
export function rotateImages(x: tf.Tensor4D, turns: number): tf.Tensor4D {
  checkSquareImages(x, 'rotateImages');
  if (!Number.isInteger(turns)) throw new AnomalyScoreError(`rotateImages: turns must be an integer (0..3), got ${String(turns)}.`);
  const r = ((turns % ROTATIONS) + ROTATIONS) % ROTATIONS;
  return tf.tidy(() => {
    if (r === 0) return x.clone();
    if (r === 2) return tf.reverse(x, [1, 2]);
    const transposed = (t: tf.Tensor4D) => tf.transpose(t, [0, 2, 1, 3]) as tf.Tensor4D;
    return r === 1 ? transposed(tf.reverse(x, 2)) : tf.reverse(transposed(x), 2);
  });
}

/** Each image i turned by turns[i] quarter turns (the released protocol's one random rotation per image). */
export function rotateEachImage(x: tf.Tensor4D, turns: ArrayLike<number>): tf.Tensor4D {
  checkSquareImages(x, 'rotateEachImage');
  if (turns.length !== x.shape[0]) {
    throw new AnomalyScoreError(`rotateEachImage: ${turns.length} rotations for ${x.shape[0]} images; give one rotation (0..3) per image.`);
  }
  for (let i = 0; i < turns.length; i++) {
    const t = turns[i]!;
    if (!Number.isInteger(t) || t < 0 || t >= ROTATIONS) {
      throw new AnomalyScoreError(`rotateEachImage: rotation ${i} is ${String(t)}; rotations are the integers 0..3 (quarter turns).`);
    }
  }
  return tf.tidy(() => {
    const all = Array.from({ length: ROTATIONS }, (_, r) => rotateImages(x, r));
    // Pick image i from the stack of its four rotations: row r * batch + i.
    const batch = x.shape[0];
    const rows = Int32Array.from({ length: batch }, (_, i) => turns[i]! * batch + i);
    return tf.gather(tf.concat(all, 0), tf.tensor1d(rows, 'int32')) as tf.Tensor4D;
  });
}
