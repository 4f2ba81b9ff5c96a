// Training a model with a geo head on tensors in memory (the call the learning tests use): the
// head's loss (paper Sec. IV-C: l_G for GiO, l_E + l_G for GiT) through the one training loop
// `fit`, batches cut from x and y with a seeded shuffle (tfjs' own fit shuffles with Math.random,
// so runs would not repeat); and per-classifier accuracy for evaluation.

import { createUniformStream } from '@curvad/seeded-random';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { checkConfigKeys } from './config-keys';
import { GeoLayersError } from './errors';
import { fit, type TrainBatch } from './fit';
import { geoLoss } from './head-loss';
import { logitOutputs, type OutputSpace, readGeoHeadSpec } from './head-spec';
import { predictOutputs } from './heads';

export interface FitGeoOptions {
  /** Passes over the data (default 10). */
  epochs?: number;
  /** Rows per step (default 32). */
  batchSize?: number;
  /** Adam learning rate when no optimizer is given (default 1e-2). */
  learningRate?: number;
  /** Any tfjs optimizer, e.g. tf.train.sgd(0.1) or a Riemannian optimizer of @curvad/manifolds. */
  optimizer?: tf.Optimizer;
  /** Seed of the per-epoch shuffle (default 0). */
  seed?: number;
  /** Shuffle every epoch (default true). */
  shuffle?: boolean;
  /** Called after each epoch with its mean training loss. */
  onEpochEnd?: (epoch: number, logs: { loss: number }) => void | Promise<void>;
}

const FIT_OPTION_KEYS: readonly string[] = ['epochs', 'batchSize', 'learningRate', 'optimizer', 'seed', 'shuffle', 'onEpochEnd'];

export interface FitGeoHistory {
  /** Mean training loss of each epoch. */
  loss: number[];
}

function permutation(n: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

function checkData(x: tf.Tensor, y: tf.Tensor, owner: string): void {
  if (x.shape[0] !== y.shape[0]) {
    throw new GeoLayersError(`${owner}: x has ${x.shape[0]} rows but y has ${y.shape[0]} labels.`);
  }
  if ((x.shape[0] ?? 0) === 0) throw new GeoLayersError(`${owner}: no training rows.`);
}

/**
 * Train `model` (built by buildGeoModel / attachGeoHeads) on features-or-images `x` and labels `y`
 * (class ids [n] or one-hot [n, C]). Trains model.trainableWeights: freeze pretrained layers with
 * `layer.trainable = false`. Returns the loss history.
 */
export async function fitGeoModel(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor, options: FitGeoOptions = {}): Promise<FitGeoHistory> {
  checkConfigKeys(options, { own: FIT_OPTION_KEYS }, 'fitGeoModel');
  checkData(x, y, 'fitGeoModel');
  const loss = geoLoss(readGeoHeadSpec(model));
  const epochs = options.epochs ?? 10;
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(epochs) || epochs < 1) throw new GeoLayersError(`fitGeoModel: epochs must be an integer >= 1, got ${epochs}.`);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new GeoLayersError(`fitGeoModel: batchSize must be an integer >= 1, got ${batchSize}.`);
  }
  if (model.trainableWeights.length === 0) throw new GeoLayersError('fitGeoModel: the model has no trainable weights.');
  const ownOptimizer = options.optimizer === undefined;
  const optimizer = options.optimizer ?? tf.train.adam(options.learningRate ?? 1e-2);
  const random = createUniformStream(options.seed ?? 0);
  const rows = x.shape[0]!;
  function* epochBatches(): Generator<TrainBatch> {
    const order = options.shuffle === false ? null : permutation(rows, random);
    for (let start = 0; start < rows; start += batchSize) {
      const size = Math.min(batchSize, rows - start);
      const batch = tf.tidy(() => {
        const index = order === null ? null : tf.tensor1d(order.subarray(start, start + size), 'int32');
        return {
          inputs: index === null ? tf.slice(x, start, size) : tf.gather(x, index),
          targets: index === null ? tf.slice(y, start, size) : tf.gather(y, index),
        };
      });
      try {
        yield batch;
      } finally {
        tf.dispose([batch.inputs, batch.targets]);
      }
    }
  }
  try {
    const history = await fit(model, {
      epochs,
      optimizer,
      batches: epochBatches,
      loss: (outputs, batch) => loss(outputs, batch.targets),
      ...(options.onEpochEnd ? { onEpochEnd: ({ epoch, loss: mean }) => options.onEpochEnd?.(epoch, { loss: mean }) } : {}),
    });
    return { loss: history.loss };
  } finally {
    if (ownOptimizer) optimizer.dispose();
  }
}

/** Accuracy of each classifier of the head (keyed by space: euclidean, sphere, poincare). */
export function geoAccuracy(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor): Partial<Record<OutputSpace, number>> {
  checkData(x, y, 'geoAccuracy');
  const spec = readGeoHeadSpec(model);
  const outputs = predictOutputs(model, x);
  try {
    const labels = tf.tidy(() => (y.rank === 2 ? tf.argMax(y, 1) : tf.cast(y, 'int32')));
    const result: Partial<Record<OutputSpace, number>> = {};
    for (const o of logitOutputs(spec)) {
      const accuracy = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(outputs[o.index]!, 1), labels), 'float32')));
      result[o.space] = accuracy.dataSync()[0]!;
      accuracy.dispose();
    }
    labels.dispose();
    return result;
  } finally {
    tf.dispose(outputs);
  }
}
