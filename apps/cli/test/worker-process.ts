// Test-only: `curvad worker` as a child process (dist/cli.js) whose log a test can wait on.
import { type ChildProcess, spawn } from 'node:child_process';
import { CLI_JS } from './run-curvad';

export interface WorkerProcess {
  child: ChildProcess;
  log(): string;
  /** Resolves once the worker's log matches `pattern`. */
  waitFor(pattern: RegExp): Promise<void>;
  exited: Promise<number | null>;
}

/** Starts `curvad worker --queue QUEUE --backend wasm --name NAME ...extra`. */
export function startWorker(queue: string, name: string, ...extra: string[]): WorkerProcess {
  const child = spawn(process.execPath, [CLI_JS, 'worker', '--queue', queue, '--backend', 'wasm', '--name', name, ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const waiters: { pattern: RegExp; resolve(): void }[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
    for (const waiter of waiters.filter((w) => w.pattern.test(log))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    log: () => log,
    waitFor: (pattern) => (pattern.test(log) ? Promise.resolve() : new Promise((resolve) => waiters.push({ pattern, resolve }))),
    exited,
  };
}

/** SIGTERM to each worker still running (it stops after its running units), then waits for every one to exit. */
export async function stopWorkers(...workers: WorkerProcess[]): Promise<void> {
  for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
}
