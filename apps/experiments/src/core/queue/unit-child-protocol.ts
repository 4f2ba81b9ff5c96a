// The messages between a worker slot and its child process (node IPC, JSON). A child serves one
// unit after another, for as long as its slot keeps it: process start, tfjs import, backend init
// and a configuration's data loading are paid once per child, not once per unit.
import type { UnitJobData } from './unit-job';

/** Slot -> child, once per unit: run this unit on this backend, answer, wait for the next. */
export interface RunUnitRequest {
  type: 'run';
  job: UnitJobData;
  /** The backend request (`auto`, `wasm`, `cpu`, `tensorflow`); the same for every unit of one child. */
  backend: string;
}

/**
 * Slot -> child, once, before any unit (the worker's start): initialize the backend now, so the
 * first unit does not wait for it. No answer; a failure surfaces as the first unit's error.
 */
export interface PrepareRequest {
  type: 'prepare';
  backend: string;
}

export type SlotRequest = RunUnitRequest | PrepareRequest;

/** Child -> slot: training progress, then exactly one of `done` and `error` per request. */
export type ChildMessage =
  | { type: 'epoch-start'; epoch: number; epochs: number; steps: number }
  | { type: 'epoch-end'; epoch: number; meanLoss: number }
  | {
      type: 'done';
      unitSeconds: number;
      backend: string;
      /** Seconds spent loading the configuration's data for this unit (0 when the child had it cached). */
      dataSeconds: number;
    }
  | { type: 'error'; message: string };

/** Exit code of a child whose worker went away (the IPC channel closed): it stops without writing its unit. */
export const ORPHANED_CHILD_EXIT = 75;
