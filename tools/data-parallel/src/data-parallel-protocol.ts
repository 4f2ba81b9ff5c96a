import type { DataType } from '@tensorflow/tfjs-core';
import type { DataParallelLoss } from './shard-gradients';

/** Messages between a DataParallelTrainer and its worker threads. */

export const WORKER_ROLE = 'curvad-data-parallel-worker';

export interface WorkerInit {
  role: typeof WORKER_ROLE;
  /** The model's topology, `model.toJSON(null, false)`. */
  topology: string;
  loss: DataParallelLoss;
  backend: 'wasm' | 'cpu';
  /** Modules (URLs or specifiers) imported before the model is rebuilt, e.g. ones registering custom layer classes. */
  modules: string[];
  /** All trainable weights back to back (trainableWeights order), written by the trainer before every step. */
  weights: SharedArrayBuffer;
  /** This worker's gradients, same layout, written by the worker before it replies. */
  grads: SharedArrayBuffer;
}

export interface TensorData {
  values: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: DataType;
}

/** Main -> worker: the worker's shard and the factor its gradients are scaled by (shard size / batch). */
export interface StepRequest {
  x: TensorData;
  y: TensorData;
  scale: number;
}

/** Where a worker's step went, in ms. */
export interface WorkerStepTimings {
  /** Shared weights into the model's variables, shard into tensors. */
  loadMs: number;
  /** Forward and backward pass of the shard. */
  computeMs: number;
  /** Scaled gradients out of the backend into shared memory. */
  writeMs: number;
}

export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'step'; loss: number; timings: WorkerStepTimings }
  | { kind: 'error'; message: string };
