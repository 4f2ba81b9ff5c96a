import * as tf from '@tensorflow/tfjs-core';
import { backend_util, type GradConfig, Mean, type NamedAttrMap, Sum, util } from '@tensorflow/tfjs-core';

/**
 * Gradients of Sum and Mean that broadcast dy instead of multiplying it by ones.
 *
 * tfjs 4.22 computes them as mul(reshape(dy), ones(x.shape)) (Mean then divides by the reduced
 * size): `ones` fills a JS Float32Array of x's size and uploads it, and the multiply makes another
 * full-size pass. Batch normalization's moments take two Means per layer, so a CIFAR ResNet-18 step
 * on wasm made 41 such arrays, 151 MiB of fresh JS memory a step: with glibc's default malloc,
 * allocations that size are mmap'ed, so every step also took ~30,000 page faults (about a quarter
 * of the step; tools/bench/train-throughput-profile.mjs). Broadcasting (reshape, then
 * tf.broadcastTo) gives the same values bit for bit (Mean divides the small dy before broadcasting,
 * the same float32 division per element) and allocates nothing in JS.
 */
function expandedDy(dy: tf.Tensor, x: tf.Tensor, axis: number | number[]): { dy: tf.Tensor; axes: number[] } {
  const axes = util.parseAxisParam(axis, x.shape);
  const shape = x.shape.slice();
  for (const a of axes) shape[a] = 1;
  const reshaped = tf.reshape(dy, shape);
  return { dy: reshaped.dtype === 'float32' ? reshaped : tf.cast(reshaped, 'float32'), axes };
}

const axisOf = (attrs: NamedAttrMap): number | number[] => attrs.axis as number | number[];

export const sumGradConfig: GradConfig = {
  kernelName: Sum,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const x = saved[0] as tf.Tensor;
    return { x: () => tf.broadcastTo(expandedDy(dy as tf.Tensor, x, axisOf(attrs)).dy, x.shape) };
  },
};

export const meanGradConfig: GradConfig = {
  kernelName: Mean,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const x = saved[0] as tf.Tensor;
    return {
      x: () => {
        const { dy: expanded, axes } = expandedDy(dy as tf.Tensor, x, axisOf(attrs));
        const reduceSize = util.sizeFromShape(backend_util.computeOutAndReduceShapes(x.shape, axes)[1]);
        return tf.broadcastTo(tf.div(expanded, reduceSize), x.shape);
      },
    };
  },
};
