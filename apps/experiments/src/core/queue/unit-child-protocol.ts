// The messages between a worker and the child process that runs one unit (node IPC, JSON).
import type { UnitJobData } from './unit-job';

/** Worker -> child, once: run this unit on this backend, then exit. */
export interface RunUnitRequest {
  type: 'run';
  job: UnitJobData;
  /** The backend request (`auto`, `wasm`, `cpu`, `tensorflow`). */
  backend: string;
}

/** Child -> worker: training progress, then exactly one of `done` and `error`. */
export type ChildMessage =
  | { type: 'epoch-start'; epoch: number; epochs: number; steps: number }
  | { type: 'epoch-end'; epoch: number; meanLoss: number }
  | { type: 'done'; unitSeconds: number; backend: string }
  | { type: 'error'; message: string };

/** Exit code of a child whose worker went away (the IPC channel closed): it stops without writing its unit. */
export const ORPHANED_CHILD_EXIT = 75;
