// The worker side of queued units: a slot keeps one child process alive across units (driven over
// node's IPC channel), so process start, imports, backend init and data loading are paid once per
// child, not per unit. A crash, an out-of-memory kill or a thrown error ends that child, never the
// worker: the unit's run rejects (its job fails and BullMQ retries it) and the slot's next unit
// starts a new child.
import { type ChildProcess, fork } from 'node:child_process';
import type { ChildMessage, PrepareRequest, RunUnitRequest } from './unit-child-protocol';
import { describeUnit, type UnitJobData } from './unit-job';

export interface ChildOutcome {
  unitSeconds: number;
  backend: string;
  /** From the request to the answer, including the child's start when this unit started it. */
  processSeconds: number;
  /** Seconds the child spent loading the configuration's data for this unit (0 when cached). */
  dataSeconds: number;
  /** The child's process id. */
  pid: number;
  /** Whether this unit was the child's first (false: a child kept from an earlier unit). */
  newChild: boolean;
}

export interface UnitRun {
  /** The child's process id (to find it in logs, or to kill it from outside). */
  pid: number;
  /** Whether this unit is the child's first. */
  newChild: boolean;
  /** Resolves when the unit is saved; rejects with the unit's error or with how the child ended. */
  outcome: Promise<ChildOutcome>;
}

function howItEnded(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal === 'SIGKILL') return 'was killed with SIGKILL (out of memory, or killed by hand)';
  if (signal) return `was stopped by ${signal}`;
  return `exited with code ${code} before reporting a result`;
}

interface Current {
  job: UnitJobData;
  started: number;
  newChild: boolean;
  onMessage: ((message: ChildMessage) => void) | undefined;
  resolve(outcome: ChildOutcome): void;
  reject(error: Error): void;
}

export class UnitChildSlot {
  private child: ChildProcess | null = null;
  private current: Current | null = null;
  /** Units the current child has been given. */
  private given = 0;

  constructor(
    private readonly entry: string,
    private readonly backend: string,
  ) {}

  /** Whether a unit is running in this slot. */
  get busy(): boolean {
    return this.current !== null;
  }

  /**
   * Starts the slot's child ahead of its first unit (node, imports, backend), so the worker's start
   * overlaps with the submitter's; a no-op when the slot has a child.
   */
  warm(): void {
    if (this.child) return;
    const request: PrepareRequest = { type: 'prepare', backend: this.backend };
    this.start().send(request);
  }

  /** Runs `job` in the slot's child, starting one when the slot has none. One unit at a time. */
  run(job: UnitJobData, onMessage?: (message: ChildMessage) => void): UnitRun {
    if (this.current) throw new Error(`slot is running ${describeUnit(this.current.job)}; a slot runs one unit at a time`);
    const started = performance.now();
    const child = this.child ?? this.start();
    const newChild = this.given === 0;
    this.given += 1;
    const outcome = new Promise<ChildOutcome>((resolve, reject) => {
      this.current = { job, started, newChild, onMessage, resolve, reject };
    });
    const request: RunUnitRequest = { type: 'run', job, backend: this.backend };
    child.send(request);
    return { pid: child.pid ?? -1, newChild, outcome };
  }

  /** Kills the child at once (SIGKILL): a running unit rejects, its job is failed or taken back. */
  kill(): void {
    this.child?.kill('SIGKILL');
  }

  /** Ends an idle child (closing the channel: it exits without writing anything). */
  close(): void {
    if (this.child?.connected) this.child.disconnect();
    this.child = null;
  }

  private start(): ChildProcess {
    const child = fork(this.entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
    this.child = child;
    this.given = 0;
    child.on('message', (message: ChildMessage) => this.onMessage(child, message));
    child.on('error', (error) => this.settle(child, new Error(`the unit process could not be started or reached: ${error.message}`)));
    child.on('exit', (code, signal) => {
      const job = this.child === child ? this.current?.job : undefined;
      this.settle(child, new Error(`the process running ${job ? describeUnit(job) : 'units'} ${howItEnded(code, signal)}`));
    });
    return child;
  }

  private onMessage(child: ChildProcess, message: ChildMessage): void {
    if (this.child !== child || !this.current) return;
    const current = this.current;
    if (message.type === 'done') {
      this.current = null;
      current.resolve({
        unitSeconds: message.unitSeconds,
        backend: message.backend,
        dataSeconds: message.dataSeconds,
        processSeconds: (performance.now() - current.started) / 1000,
        pid: child.pid ?? -1,
        newChild: current.newChild,
      });
    } else if (message.type === 'error') {
      // The child exits after an error: retire it now, so the next unit does not reach for it.
      this.settle(child, new Error(message.message));
    } else current.onMessage?.(message);
  }

  /** The child is gone (or going): reject the running unit, and the next one starts a new child. */
  private settle(child: ChildProcess, error: Error): void {
    if (this.child !== child) return;
    this.child = null;
    const current = this.current;
    this.current = null;
    current?.reject(error);
  }
}
