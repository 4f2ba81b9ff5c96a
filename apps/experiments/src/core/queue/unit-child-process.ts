// The worker side of a queued unit: one child process per unit (a crash, an out-of-memory kill or a
// leak in one unit ends that process, not the worker), driven over node's IPC channel.
import { fork } from 'node:child_process';
import type { ChildMessage, RunUnitRequest } from './unit-child-protocol';
import { describeUnit, type UnitJobData } from './unit-job';

export interface ChildOutcome {
  unitSeconds: number;
  backend: string;
  /** The process's whole life, start to exit. */
  processSeconds: number;
}

export interface UnitChild {
  /** Resolves when the unit is saved; rejects with the unit's error or with how the process ended. */
  outcome: Promise<ChildOutcome>;
  /** Kills the process at once (SIGKILL). */
  kill(): void;
}

function howItEnded(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal === 'SIGKILL') return 'was killed with SIGKILL (out of memory, or killed by hand)';
  if (signal) return `was stopped by ${signal}`;
  return `exited with code ${code} before reporting a result`;
}

/** Starts `entry` (a module that calls serveUnitChild) and asks it to run `job` on `backend`. */
export function runUnitInChild(entry: string, job: UnitJobData, backend: string, onMessage?: (message: ChildMessage) => void): UnitChild {
  const started = performance.now();
  const child = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
  const outcome = new Promise<ChildOutcome>((resolve, reject) => {
    let settled: ChildMessage | null = null;
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'done' || message.type === 'error') settled = message;
      else onMessage?.(message);
    });
    child.on('error', (error) => reject(new Error(`could not start the process for ${describeUnit(job)}: ${error.message}`)));
    child.on('exit', (code, signal) => {
      const processSeconds = (performance.now() - started) / 1000;
      const last = settled as ChildMessage | null;
      if (last?.type === 'done') resolve({ unitSeconds: last.unitSeconds, backend: last.backend, processSeconds });
      else if (last?.type === 'error') reject(new Error(last.message));
      else reject(new Error(`the process running ${describeUnit(job)} ${howItEnded(code, signal)}`));
    });
  });
  const request: RunUnitRequest = { type: 'run', job, backend };
  child.send(request);
  return {
    outcome,
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}
