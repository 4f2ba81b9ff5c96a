// The one training loop of the project: mini-batch descent of any scalar loss over batches the
// caller streams in (the datasets pipeline, slices of tensors, rotated or patched batches), with
// a learning rate per epoch, progress callbacks and an abort signal. fitGeoModel, the experiment
// app and the tasks that train with self-supervised or per-pixel losses all run through it.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { checkConfigKeys } from './config-keys';
import { GeoLayersError } from './errors';

/** One training step's data. fit does not dispose it: the source owns the tensors (e.g. datasets' tensorBatches). */
export interface TrainBatch {
  /** What the model is applied to (one tensor per model input). */
  inputs: tf.Tensor | tf.Tensor[];
  /** What the loss compares the outputs with (class ids, one-hot rows, masks, ...). */
  targets: tf.Tensor;
}

export interface FitStep {
  epoch: number;
  /** Step within the epoch, from 0. */
  step: number;
  /** The step's loss. */
  loss: number;
  /** Rows in the step's batch. */
  rows: number;
}

export interface FitEpoch {
  epoch: number;
  /** Mean loss of the epoch's steps, weighted by their rows. */
  loss: number;
  /** Wall time of the epoch's steps. */
  seconds: number;
}

export interface FitOptions {
  /** Passes over the data (an integer >= 1). */
  epochs: number;
  /** The batches of epoch `epoch`: a fresh iterable per epoch, so each epoch can have its own order. */
  batches: (epoch: number) => Iterable<TrainBatch> | AsyncIterable<TrainBatch>;
  /** A scalar loss of the model's outputs (model.apply(inputs, { training: true })) against the batch. */
  loss: (outputs: tf.Tensor | tf.Tensor[], batch: TrainBatch) => tf.Scalar;
  /** Any tfjs optimizer (or a Riemannian one of @curvad/manifolds). The caller owns and disposes it. */
  optimizer: tf.Optimizer;
  /**
   * Learning rate of each epoch, set on the optimizer before the epoch's first step: a number, or a
   * schedule such as `stepSchedule(...)`. Absent: the optimizer's own rate is left alone.
   */
  learningRate?: number | ((epoch: number) => number);
  /** The variables to train (default: model.trainableWeights; freeze layers with `layer.trainable = false`). */
  variables?: tf.Variable[];
  /** Checked before every step: when aborted, fit stops and throws FitAbortedError. */
  signal?: AbortSignal;
  onEpochStart?: (epoch: number) => void | Promise<void>;
  onStep?: (step: FitStep) => void | Promise<void>;
  onEpochEnd?: (epoch: FitEpoch) => void | Promise<void>;
}

const FIT_KEYS: readonly string[] = [
  'epochs',
  'batches',
  'loss',
  'optimizer',
  'learningRate',
  'variables',
  'signal',
  'onEpochStart',
  'onStep',
  'onEpochEnd',
];

export interface FitHistory {
  /** Mean training loss of each finished epoch. */
  loss: number[];
  /** Wall time of each finished epoch's steps. */
  seconds: number[];
}

const MARKER = Symbol.for('curvad.error.fit-aborted');

/** Thrown by fit when its signal is aborted; the model keeps the weights of the last finished step. */
export class FitAbortedError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads the marker through a symbol-keyed cast, the one check that works across duplicate package copies
  private readonly [MARKER] = true;

  constructor(epoch: number, step: number) {
    super(`training stopped by its abort signal before step ${step + 1} of epoch ${epoch + 1}`);
    this.name = 'FitAbortedError';
  }

  static isInstance(error: unknown): error is FitAbortedError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}

export interface StepScheduleOptions {
  /** Rate of the first epochs. */
  learningRate: number;
  /** Factor applied at each milestone (e.g. 0.1). */
  gamma: number;
  /** Epochs (0-based) from which one more factor of gamma applies. */
  milestones: readonly number[];
}

/** The step schedule of the papers (PyTorch's MultiStepLR): learningRate x gamma^(milestones passed by `epoch`). */
export function stepSchedule(options: StepScheduleOptions): (epoch: number) => number {
  const { learningRate, gamma, milestones } = options;
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) {
    throw new GeoLayersError(`stepSchedule: learningRate must be a positive number, got ${learningRate}.`);
  }
  if (!(gamma > 0) || !Number.isFinite(gamma)) throw new GeoLayersError(`stepSchedule: gamma must be a positive number, got ${gamma}.`);
  for (const m of milestones) {
    if (!Number.isInteger(m) || m < 0) throw new GeoLayersError(`stepSchedule: milestones must be integers >= 0, got ${m}.`);
  }
  return (epoch) => learningRate * gamma ** milestones.filter((m) => epoch >= m).length;
}

function rateOf(schedule: FitOptions['learningRate'], epoch: number): number | undefined {
  if (schedule === undefined) return undefined;
  const rate = typeof schedule === 'number' ? schedule : schedule(epoch);
  if (!(rate >= 0) || !Number.isFinite(rate)) {
    throw new GeoLayersError(`fit: the learning rate of epoch ${epoch + 1} is ${rate}; it must be a finite number >= 0.`);
  }
  return rate;
}

/**
 * Sets an optimizer's learning rate. SGD and momentum keep the rate as a cached tensor that only
 * `setLearningRate` refreshes (assigning `learningRate` alone leaves them at the old rate); the
 * others read the `learningRate` field at every step.
 */
function setRate(optimizer: tf.Optimizer, rate: number): void {
  const target = optimizer as unknown as { learningRate: number; setLearningRate?: (rate: number) => void };
  if (target.learningRate === rate) return;
  if (typeof target.setLearningRate === 'function') target.setLearningRate(rate);
  else target.learningRate = rate;
}

function rowsOf(batch: TrainBatch): number {
  const first = Array.isArray(batch.inputs) ? batch.inputs[0] : batch.inputs;
  const rows = first?.shape[0];
  if (rows === undefined) throw new GeoLayersError('fit: a batch has no inputs; give each batch `inputs` of shape [rows, ...].');
  return rows;
}

/** Yield to the event loop so an abort (e.g. Ctrl-C's handler) can run between steps. */
const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Trains `model` by mini-batch descent of `options.loss` over the batches `options.batches(epoch)`
 * gives, epoch by epoch. Each step is `optimizer.minimize` of the loss inside tf.tidy, so no tensor
 * of the step outlives it. A non-finite step loss stops training with a GeoLayersError naming the
 * epoch and step. Returns the mean loss and wall time of every epoch.
 */
export async function fit(model: tfl.LayersModel, options: FitOptions): Promise<FitHistory> {
  checkConfigKeys(options, { own: FIT_KEYS }, 'fit');
  const { epochs, optimizer, loss, signal } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new GeoLayersError(`fit: epochs must be an integer >= 1, got ${epochs}.`);
  if (typeof options.batches !== 'function') {
    throw new GeoLayersError('fit: batches must be a function of the epoch returning that epoch’s batches.');
  }
  if (typeof loss !== 'function') throw new GeoLayersError('fit: loss must be a function (outputs, batch) => scalar tensor.');
  const variables = options.variables ?? model.trainableWeights.map((w) => w.read() as tf.Variable);
  if (variables.length === 0) throw new GeoLayersError('fit: there is nothing to train (the model has no trainable weights).');
  const history: FitHistory = { loss: [], seconds: [] };
  for (let epoch = 0; epoch < epochs; epoch++) {
    const rate = rateOf(options.learningRate, epoch);
    if (rate !== undefined) setRate(optimizer, rate);
    await options.onEpochStart?.(epoch);
    const started = performance.now();
    let total = 0;
    let rows = 0;
    let step = 0;
    for await (const batch of options.batches(epoch)) {
      if (signal?.aborted) throw new FitAbortedError(epoch, step);
      const count = rowsOf(batch);
      const lossTensor = tf.tidy(() => {
        const value = optimizer.minimize(
          () => loss(model.apply(batch.inputs, { training: true }) as tf.Tensor | tf.Tensor[], batch),
          true,
          variables,
        );
        if (value === null) throw new GeoLayersError('fit: the optimizer returned no loss.');
        return value;
      });
      const value = (await lossTensor.data())[0]!;
      lossTensor.dispose();
      if (!Number.isFinite(value)) {
        throw new GeoLayersError(
          `fit: the training loss became ${value} in epoch ${epoch + 1}, step ${step + 1}; lower the learning rate or use a smaller |k|.`,
        );
      }
      total += value * count;
      rows += count;
      await options.onStep?.({ epoch, step, loss: value, rows: count });
      step++;
      await yieldToEvents();
    }
    if (rows === 0) throw new GeoLayersError(`fit: epoch ${epoch + 1} had no batches; batches(epoch) must yield at least one.`);
    const seconds = (performance.now() - started) / 1000;
    history.loss.push(total / rows);
    history.seconds.push(seconds);
    await options.onEpochEnd?.({ epoch, loss: total / rows, seconds });
  }
  return history;
}
