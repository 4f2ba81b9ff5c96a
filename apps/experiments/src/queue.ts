// @curvad/experiments/queue: the worker side of queued runs, without tfjs or the report code (a
// worker process only holds job locks; each unit runs in a child process that loads the rest).

export { QueueError } from './core/queue/queue-error';
export { parseQueueUrl, type QueueTarget } from './core/queue/queue-url';
export {
  DEFAULT_STALL_SECONDS,
  defaultChildEntry,
  type QueueWorker,
  type QueueWorkerOptions,
  startQueueWorker,
  type WorkerCounts,
} from './core/queue/queue-worker';
