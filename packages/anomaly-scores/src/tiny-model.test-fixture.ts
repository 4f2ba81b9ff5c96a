// A tiny trained classifier for the ODIN and Mahalanobis tests: three Gaussian classes in 2-D,
// a 2-16-3 tanh MLP trained with Adam from a fixed seed, plus a float64 plain-JS copy of its
// forward pass so tests can compute exact references (finite differences, perturbed scores).
import * as tf from '@tensorflow/tfjs-core';
import { seededRandom } from './test-utils';

export interface TinyModel {
  /** [batch, 2] -> [batch, 16] tanh features. */
  hidden: (x: tf.Tensor) => tf.Tensor;
  /** [batch, 2] -> [batch, 3] logits. */
  logits: (x: tf.Tensor) => tf.Tensor;
  /** [16, 3] weights of the logit layer (class directions for a cosine head). */
  classWeights: tf.Tensor2D;
  hidden64: (x: readonly number[]) => number[];
  logits64: (x: readonly number[]) => number[];
  trainX: number[][];
  trainY: number[];
  accuracy: number;
  dispose: () => void;
}

export const CLASS_CENTRES = [0, 1, 2].map((c) => [2 * Math.cos((2 * Math.PI * c) / 3), 2 * Math.sin((2 * Math.PI * c) / 3)]);

export function gaussianClasses(perClass: number, seed: number): { x: number[][]; y: number[] } {
  const rand = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < perClass; i++) {
    CLASS_CENTRES.forEach((c, label) => {
      x.push([c[0]! + 0.6 * normal(), c[1]! + 0.6 * normal()]);
      y.push(label);
    });
  }
  return { x, y };
}

export function trainTinyModel(steps = 200): TinyModel {
  const { x: trainX, y: trainY } = gaussianClasses(60, 7);
  const w1 = tf.variable(tf.randomNormal([2, 16], 0, 0.5, 'float32', 1));
  const b1 = tf.variable(tf.zeros([16]));
  const w2 = tf.variable(tf.randomNormal([16, 3], 0, 0.5, 'float32', 2));
  const b2 = tf.variable(tf.zeros([3]));
  const hidden = (x: tf.Tensor) => tf.tanh(tf.add(tf.matMul(x as tf.Tensor2D, w1), b1));
  const logits = (x: tf.Tensor) => tf.add(tf.matMul(hidden(x) as tf.Tensor2D, w2), b2);
  const xs = tf.tensor2d(trainX);
  const ys = tf.oneHot(tf.tensor1d(trainY, 'int32'), 3);
  const optimizer = tf.train.adam(0.05);
  for (let i = 0; i < steps; i++) {
    optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, logits(xs)) as tf.Scalar);
  }
  const predicted = tf.tidy(() => Array.from(tf.argMax(logits(xs), 1).dataSync()));
  const accuracy = predicted.filter((p, i) => p === trainY[i]).length / trainY.length;
  const W1 = w1.arraySync() as number[][];
  const B1 = b1.arraySync() as number[];
  const W2 = w2.arraySync() as number[][];
  const B2 = b2.arraySync() as number[];
  const hidden64 = (x: readonly number[]) => B1.map((b, j) => Math.tanh(b + x[0]! * W1[0]![j]! + x[1]! * W1[1]![j]!));
  const logits64 = (x: readonly number[]) => {
    const h = hidden64(x);
    return B2.map((b, c) => h.reduce((s, hj, j) => s + hj * W2[j]![c]!, b));
  };
  xs.dispose();
  ys.dispose();
  optimizer.dispose();
  return {
    hidden,
    logits,
    classWeights: w2 as tf.Tensor2D,
    hidden64,
    logits64,
    trainX,
    trainY,
    accuracy,
    dispose: () => {
      for (const v of [w1, b1, w2, b2]) v.dispose();
    },
  };
}
