import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { float32View } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { shardSizes, updateMsPerImage } from './balance-shards';
import {
  type StepRequest,
  type TensorData,
  WORKER_ROLE,
  type WorkerInit,
  type WorkerReply,
  type WorkerStepTimings,
} from './data-parallel-protocol';
import { DataParallelError } from './errors';
import { flatOffsets, sharedFloats } from './flat-weights';
import { DATA_PARALLEL_LOSSES, type DataParallelLoss, type ShardModel, shardGradients, trainableVariables } from './shard-gradients';
import { scaleInto } from './worker-step';

/** The part of a tfjs-layers LayersModel the trainer uses. */
export interface DataParallelModel extends ShardModel {
  toJSON(unused?: null, returnString?: boolean): string | object;
}

export interface DataParallelTrainerOptions {
  /** Loss of the model's outputs against the labels (a name: functions cannot go to workers). */
  loss: DataParallelLoss;
  /** Applies the averaged gradients on the calling thread, e.g. `tf.train.adam(1e-3)`. */
  optimizer: tf.Optimizer;
  /** Threads including the calling one (default: the machine's available parallelism). */
  threads?: number;
  /** Backend of the worker threads (default: the active backend if 'wasm' or 'cpu', else 'wasm'). */
  backend?: 'wasm' | 'cpu';
  /**
   * The module each worker thread runs (default: `data-parallel-worker.js` next to this package's
   * bundle). Set it when a bundler has moved the package's files, or to run the TypeScript sources
   * (the package's tests use a `data:` module that loads them with tsx).
   */
  workerUrl?: URL;
  /**
   * Modules each worker imports before it rebuilds the model from its topology: those that register
   * the model's custom layer classes (tfjs looks classes up by name, and a worker starts with only
   * tfjs-layers' own), e.g. `import.meta.resolve('@curvad/backbones')` for its
   * FusedBatchNormalization. Strings are imported as given, from the worker's module, so pass
   * absolute URLs for packages this one does not depend on.
   */
  workerModules?: readonly (string | URL)[];
  /**
   * Split each batch in proportion to the threads' measured speeds (default true; equal shards at
   * the first step). false keeps equal shards.
   */
  balance?: boolean;
}

/** Where the last step went on the calling thread, in ms, and each worker's own account. */
export interface DataParallelStepTimings {
  /** Weights out of the backend into shared memory, shards sliced and posted. */
  sendMs: number;
  /** This thread's own shard: forward and backward pass, and its gradients scaled into the sum. */
  ownShardMs: number;
  /** Waiting for the workers after this thread's own shard was done. */
  waitMs: number;
  /** The workers' gradients added to this thread's (after the wait). */
  averageMs: number;
  /** Averaged gradients into tensors and the optimizer's update. */
  applyMs: number;
  /** The whole step. */
  totalMs: number;
  /** Images per thread in this step (this thread first), as the balancer split the batch. */
  shardSizes: number[];
  /** One entry per worker thread. */
  workers: WorkerStepTimings[];
}

interface PendingReply {
  resolve: (reply: Extract<WorkerReply, { kind: 'step' }>) => void;
  reject: (error: Error) => void;
}

/** The built worker entry, next to the bundle this module is part of. */
function defaultWorkerUrl(): URL {
  return new URL('./data-parallel-worker.js', import.meta.url);
}

function tensorData(t: tf.Tensor): TensorData {
  return { values: t.dataSync() as TensorData['values'], shape: [...t.shape], dtype: t.dtype };
}

/** out += add, element by element (a monomorphic loop V8 compiles tight). */
function addInto(out: Float32Array, add: Float32Array): void {
  for (let k = 0; k < out.length; k++) out[k]! += add[k]!;
}

/**
 * Data-parallel training of a tfjs-layers model across worker_threads: every step splits the batch
 * into one shard per thread, each thread (this one included) computes its shard's loss and
 * gradients on its own backend, and this thread averages them (weighted by shard size, so the
 * result is the full batch's mean-loss gradient) and applies the optimizer. Weights go to the
 * workers at every step. Batch-norm moving statistics are updated from this thread's shard only
 * (as PyTorch DDP without SyncBatchNorm updates them per replica).
 */
export class DataParallelTrainer {
  private readonly pending = new Map<Worker, PendingReply[]>();
  private failure: Error | undefined;
  private disposed = false;
  private exited = 0;
  private timings: DataParallelStepTimings | undefined;
  /** Each thread's running ms per image (this thread first), for balancing the shards. */
  private msPerImage: number[] | undefined;
  /** The summed gradients, reused from step to step (a fresh array of this size every step costs page faults). */
  private sum: Float32Array | undefined;

  private constructor(
    private readonly model: DataParallelModel,
    private readonly options: Required<Pick<DataParallelTrainerOptions, 'loss' | 'optimizer'>>,
    private readonly workers: Worker[],
    /** All trainable weights back to back, shared with every worker. */
    private readonly sharedWeights: Float32Array,
    /** One gradient array per worker, same layout, each shared with its worker. */
    private readonly sharedGrads: Float32Array[],
    /** Shards in proportion to the threads' measured speeds. */
    private readonly balance: boolean,
  ) {
    for (const worker of workers) {
      this.pending.set(worker, []);
      worker.on('message', (reply: WorkerReply) => this.onReply(worker, reply));
      worker.on('error', (error) =>
        this.fail(new DataParallelError(`A DataParallelTrainer worker failed: ${error.message}`, { cause: error })),
      );
      worker.on('exit', (code) => {
        this.exited++;
        if (!this.disposed)
          this.fail(
            new DataParallelError(
              `A DataParallelTrainer worker exited (code ${code}) while training; dispose the trainer and create a new one.`,
            ),
          );
      });
    }
  }

  /** Starts `threads - 1` workers, each rebuilding `model` from its topology; resolves when all are ready. */
  static async create(model: DataParallelModel, options: DataParallelTrainerOptions): Promise<DataParallelTrainer> {
    const threads = options.threads ?? os.availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) {
      throw new DataParallelError(`DataParallelTrainer: threads must be a positive integer, got ${threads}.`);
    }
    if (!(options.loss in DATA_PARALLEL_LOSSES)) {
      throw new DataParallelError(
        `DataParallelTrainer: unknown loss '${String(options.loss)}'; use one of ${Object.keys(DATA_PARALLEL_LOSSES).join(', ')}.`,
      );
    }
    const active = tf.getBackend();
    const total = flatOffsets(trainableVariables(model)).at(-1)!;
    const sharedWeights = sharedFloats(total);
    const sharedGrads = Array.from({ length: threads - 1 }, () => sharedFloats(total));
    const workers: Worker[] = [];
    try {
      for (let i = 1; i < threads; i++) {
        const init: WorkerInit = {
          role: WORKER_ROLE,
          topology: JSON.stringify(model.toJSON(null, false)),
          loss: options.loss,
          backend: options.backend ?? (active === 'cpu' ? 'cpu' : 'wasm'),
          modules: (options.workerModules ?? []).map(String),
          weights: sharedWeights.buffer as SharedArrayBuffer,
          grads: sharedGrads[i - 1]!.buffer as SharedArrayBuffer,
        };
        const worker = new Worker(options.workerUrl ?? defaultWorkerUrl(), { workerData: init });
        workers.push(worker);
        await new Promise<void>((resolve, reject) => {
          const onMessage = (reply: WorkerReply) => {
            worker.off('error', onError);
            if (reply.kind === 'ready') resolve();
            else
              reject(
                new DataParallelError(
                  `DataParallelTrainer: worker ${i} could not start: ${reply.kind === 'error' ? reply.message : reply.kind}`,
                ),
              );
          };
          const onError = (error: Error) => {
            worker.off('message', onMessage);
            reject(new DataParallelError(`DataParallelTrainer: worker ${i} could not start: ${error.message}`, { cause: error }));
          };
          worker.once('message', onMessage);
          worker.once('error', onError);
        });
      }
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
    return new DataParallelTrainer(
      model,
      { loss: options.loss, optimizer: options.optimizer },
      workers,
      sharedWeights,
      sharedGrads,
      options.balance ?? true,
    );
  }

  /** Where the last completed step's time went (undefined before the first step). */
  get lastStepTimings(): DataParallelStepTimings | undefined {
    return this.timings;
  }

  /** Threads taking part in a step, this one included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** Worker threads still running (0 after dispose). */
  get liveWorkers(): number {
    return this.workers.length - this.exited;
  }

  /** The reused buffer for `length` summed gradients. */
  private sumBuffer(length: number): Float32Array {
    if (this.sum === undefined || this.sum.length !== length) this.sum = new Float32Array(length);
    return this.sum;
  }

  /**
   * One optimizer step on the batch (x, y), split along the first axis; resolves to the batch's
   * mean loss. The batch needs at least one example per thread.
   */
  async step(x: tf.Tensor, y: tf.Tensor): Promise<number> {
    if (this.disposed) throw new DataParallelError('DataParallelTrainer.step called after dispose(); create a new trainer.');
    const batch = x.shape[0] ?? 0;
    if (y.shape[0] !== batch) {
      throw new DataParallelError(`DataParallelTrainer.step: x has ${batch} examples but y has ${y.shape[0]}; pass matching batches.`);
    }
    if (batch < this.threads) {
      throw new DataParallelError(
        `DataParallelTrainer.step: a batch of ${batch} cannot feed ${this.threads} threads; use at least one example per thread.`,
      );
    }
    if (this.failure !== undefined) throw this.failure;
    // Shards in proportion to each thread's measured speed (equal ones at the first step); this thread takes the first.
    const sizes = shardSizes(batch, this.threads, this.balance ? this.msPerImage : undefined);
    const starts = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
    const t0 = performance.now();
    const variables = trainableVariables(this.model);
    const offsets = flatOffsets(variables);
    // float32View: the weights read in place (dataSync's fresh copies cost ~100 ms a ResNet-18 step in page faults).
    for (const [j, v] of variables.entries()) this.sharedWeights.set(float32View(v), offsets[j]!);
    const replies = this.workers.map((worker, w) => {
      const i = w + 1;
      const [xs, ys] = [tf.slice(x, starts[i]!, sizes[i]!), tf.slice(y, starts[i]!, sizes[i]!)];
      const request: StepRequest = { x: tensorData(xs), y: tensorData(ys), scale: sizes[i]! / batch };
      tf.dispose([xs, ys]);
      return new Promise<Extract<WorkerReply, { kind: 'step' }>>((resolve, reject) => {
        this.pending.get(worker)!.push({ resolve, reject });
        worker.postMessage(request);
      });
    });
    // Keep the rejections handled while this thread computes its own shard.
    const settled = Promise.allSettled(replies);
    const t1 = performance.now();
    const [x0, y0] = [tf.slice(x, 0, sizes[0]!), tf.slice(y, 0, sizes[0]!)];
    let own: { loss: number; grads: tf.Tensor[] };
    try {
      own = shardGradients(this.model, this.options.loss, x0, y0);
    } finally {
      tf.dispose([x0, y0]);
    }
    // Full-batch mean-loss gradient: sum of the shards' gradients, each scaled by its shard's share
    // (the workers write theirs already scaled). This thread's part goes into the sum buffer (kept
    // across steps, gradients read in place) before waiting for the workers, so that it overlaps them.
    const ownScale = sizes[0]! / batch;
    const sum = this.sumBuffer(offsets[variables.length]!);
    for (const [j, g] of own.grads.entries()) scaleInto(float32View(g), ownScale, sum, offsets[j]!);
    tf.dispose(own.grads);
    const t2 = performance.now();
    const results = await settled;
    const t3 = performance.now();
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (rejected !== undefined) throw rejected.reason;
    const others = results.map((r) => (r as PromiseFulfilledResult<Extract<WorkerReply, { kind: 'step' }>>).value);
    // One plain pass per worker.
    const summed = variables.map((_, j) => {
      const out = sum.subarray(offsets[j]!, offsets[j + 1]!);
      for (const shared of this.sharedGrads) addInto(out, shared.subarray(offsets[j]!, offsets[j + 1]!));
      return out;
    });
    const t4 = performance.now();
    const averaged: tf.NamedTensorMap = {};
    // wasm copies the values into its heap; other backends may keep the array itself, which the next step overwrites.
    const copy = tf.getBackend() !== 'wasm';
    for (const [j, v] of variables.entries()) averaged[v.name] = tf.tensor(copy ? summed[j]!.slice() : summed[j]!, v.shape, 'float32');
    this.options.optimizer.applyGradients(averaged);
    tf.dispose(Object.values(averaged));
    const t5 = performance.now();
    this.timings = {
      sendMs: t1 - t0,
      ownShardMs: t2 - t1,
      waitMs: t3 - t2,
      averageMs: t4 - t3,
      applyMs: t5 - t4,
      totalMs: t5 - t0,
      shardSizes: sizes,
      workers: others.map((reply) => reply.timings),
    };
    this.msPerImage = updateMsPerImage(this.msPerImage, [
      (t2 - t1) / sizes[0]!,
      ...others.map((reply, w) => (reply.timings.loadMs + reply.timings.computeMs + reply.timings.writeMs) / sizes[w + 1]!),
    ]);
    return others.reduce((acc, reply, w) => acc + (reply.loss * sizes[w + 1]!) / batch, own.loss * ownScale);
  }

  /** Terminates the workers (resolves when they have exited). The model and optimizer stay the caller's. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.fail(new DataParallelError('DataParallelTrainer was disposed during a step.'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private onReply(worker: Worker, reply: WorkerReply): void {
    const waiting = this.pending.get(worker)!.shift();
    if (waiting === undefined) return;
    if (reply.kind === 'step') waiting.resolve(reply);
    else
      waiting.reject(
        new DataParallelError(`A DataParallelTrainer worker failed during a step: ${reply.kind === 'error' ? reply.message : reply.kind}`),
      );
  }

  private fail(error: Error): void {
    if (!this.disposed && this.failure === undefined) this.failure = error;
    for (const queue of this.pending.values()) for (const waiting of queue.splice(0)) waiting.reject(error);
  }
}
