import { type Command, Option } from 'commander';
import type { CliContext } from '../cli-context';
import { writeLine } from '../cli-io';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { BACKEND_CHOICES, type BackendOption, positiveInteger } from '../option-parsers';

export interface WorkerCommandOptions {
  queue: string;
  concurrency: number;
  backend: BackendOption;
  stallSeconds?: number;
  name?: string;
}

/** The signals that stop a worker: Ctrl-C in its terminal, or a service manager's SIGTERM. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

const EXAMPLES = `
Examples:
  $ npx curvad worker --queue redis://127.0.0.1:6379/0
      take units queued by \`curvad experiment ood|one-class --queue redis://127.0.0.1:6379/0 ...\`, one at a time
  $ npx curvad worker --queue redis://:PASSWORD@10.0.0.5:6379/0 --concurrency 2 --backend wasm
      on another machine: two units at once (one unit process each), on the backend the submitter used

Each slot (--concurrency) runs units in a child process it keeps from unit to unit (tfjs, the backend
and a configuration's data are loaded once per process; every unit is seeded from its own seed).
Units are written into the results folder their submitter named, which must be the same shared
folder, at the same path, on every machine. A unit that throws, or whose process crashes or is killed
(out of memory), fails that attempt: the slot starts a new process and the queue retries the unit with
backoff (the submitter's --attempts), then records it as failed.
Ctrl-C (or SIGTERM) stops taking units and exits when the running ones are saved; a second one kills
them at once: their jobs are taken back after --stall-seconds and finished by another worker.
Exit codes: 0 stopped, 2 bad or unreachable --queue (one sentence says what to do), 130 killed.`;

export function registerWorkerCommand(program: Command, context: CliContext): void {
  program
    .command('worker')
    .description('take experiment units from a Redis job queue (BullMQ) and run them in child processes, until stopped')
    .requiredOption('--queue <url>', 'the queue: redis://[:PASSWORD@]HOST:PORT[/DB] (rediss:// for TLS)')
    .option(
      '--concurrency <n>',
      'units run at once, each slot in its own child process (kept across units)',
      positiveInteger('--concurrency', 2),
      1,
    )
    .addOption(
      new Option('--backend <name>', "tfjs backend of the units; use the submitter's for identical numbers")
        .choices(BACKEND_CHOICES)
        .default('auto'),
    )
    .option(
      '--stall-seconds <n>',
      'a unit whose worker died is taken back by another worker after about this many seconds (BullMQ lock duration; default 30)',
      positiveInteger('--stall-seconds', 30),
    )
    .option('--name <name>', 'this worker in logs and in each job it takes (default HOST:PID)')
    .addHelpText('after', EXAMPLES)
    .action(async (options: WorkerCommandOptions) => {
      context.exitCode = await runWorker(options, context);
    });
}

export async function runWorker(options: WorkerCommandOptions, context: CliContext): Promise<ExitCode> {
  const { io } = context;
  const { startQueueWorker } = await import('@curvad/experiments/queue');
  const worker = await startQueueWorker({
    queue: options.queue,
    concurrency: options.concurrency,
    backend: options.backend,
    ...(options.stallSeconds !== undefined ? { stallSeconds: options.stallSeconds } : {}),
    ...(options.name !== undefined ? { name: options.name } : {}),
    log: (line) => writeLine(io.stderr, line),
  });
  return new Promise<ExitCode>((resolve) => {
    let stopping = false;
    const remove = () => {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    };
    const done = (code: ExitCode) => (counts: { completed: number; failed: number }) => {
      remove();
      writeLine(io.stderr, `worker ${worker.name}: stopped (${counts.completed} unit(s) done, ${counts.failed} failed attempt(s))`);
      resolve(code);
    };
    function onSignal() {
      if (stopping) {
        writeLine(io.stderr, 'killing the running unit(s): their jobs are taken back and finished by another worker');
        worker.kill().then(done(EXIT_CODES.interrupted));
        return;
      }
      stopping = true;
      writeLine(io.stderr, 'stopping: no new units; exiting once the running ones are saved (again to kill them)');
      worker.stop().then(done(EXIT_CODES.ok));
    }
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  });
}
