// @curvad/data-parallel: data-parallel training of a tfjs-layers model across worker threads (a benchmark tool).

export type { WorkerStepTimings } from './data-parallel-protocol';
export {
  type DataParallelModel,
  type DataParallelStepTimings,
  DataParallelTrainer,
  type DataParallelTrainerOptions,
} from './data-parallel-trainer';
export { DataParallelError } from './errors';
export { DATA_PARALLEL_LOSSES, type DataParallelLoss } from './shard-gradients';
