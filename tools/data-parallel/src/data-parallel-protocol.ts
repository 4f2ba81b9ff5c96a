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
}

export interface TensorData {
  values: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: DataType;
}

/** Main -> worker: this step's weights (trainableWeights order) and the worker's shard. */
export interface StepRequest {
  weights: Float32Array[];
  x: TensorData;
  y: TensorData;
}

export type WorkerReply = { kind: 'ready' } | { kind: 'step'; loss: number; grads: Float32Array[] } | { kind: 'error'; message: string };
