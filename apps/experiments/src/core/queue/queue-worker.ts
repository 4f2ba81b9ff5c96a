// `curvad worker`: takes unit jobs from the queue (BullMQ on Redis) and runs them in child
// processes, one per slot (`concurrency` slots), each kept alive across units. The worker process
// itself only holds the jobs' locks (renewed while a child trains, since this process's event loop
// is free), so a worker that dies has its jobs taken back after about `stallSeconds` and finished
// by another worker; a child that dies fails its unit's attempt, and BullMQ retries it.
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { parseQueueUrl } from './queue-url';
import { connectionOptions, probeRedis } from './redis-connection';
import { UnitChildSlot } from './unit-child-slot';
import { describeUnit, QUEUE_PREFIX, UNIT_QUEUE, type UnitJobData, type UnitJobResult, unitJobDataSchema } from './unit-job';

/** BullMQ's own default lock duration and stalled-check interval, in seconds. */
export const DEFAULT_STALL_SECONDS = 30;
/** A job may be taken back from dead workers this many times before it is failed (a unit that kills every worker that runs it). */
const MAX_STALLED_COUNT = 2;
/** Progress is written to Redis at most this often per job (epoch boundaries are rare; this bounds a burst). */
const PROGRESS_INTERVAL_MS = 1000;
/** Connection errors are logged at most this often (ioredis retries every few hundred ms while Redis is away). */
const ERROR_LOG_INTERVAL_MS = 5000;

export interface QueueWorkerOptions {
  /** The queue's URL, redis://HOST:PORT[/DB]. */
  queue: string;
  /** Units run at once by this worker, each in its own slot's process (default 1). */
  concurrency?: number;
  /** tfjs backend request for the units (default 'auto'); use the submitter's for identical numbers. */
  backend?: string;
  /** A dead worker's job is taken back after about this many seconds (BullMQ lock and stalled-check interval). */
  stallSeconds?: number;
  /** Shown in logs and stored on each job (default host:pid). */
  name?: string;
  /** The module a unit's child process runs (default: the package's built queue-unit-child.js). */
  childEntry?: string;
  log?(line: string): void;
}

export interface WorkerCounts {
  completed: number;
  failed: number;
}

export interface QueueWorker {
  name: string;
  /** Takes no new job; resolves once the running units are saved and acknowledged. */
  stop(): Promise<WorkerCounts>;
  /** Kills the running units at once and closes: their jobs stall and another worker finishes them. */
  kill(): Promise<WorkerCounts>;
}

/** The built child entry beside this module (dist/queue-unit-child.js). */
export function defaultChildEntry(): string {
  return fileURLToPath(new URL('./queue-unit-child.js', import.meta.url));
}

/**
 * Checks the queue URL and that Redis answers (a QueueError within seconds otherwise), then starts
 * taking jobs. Failed units are retried by BullMQ with the attempts and backoff their submitter set.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const target = parseQueueUrl(options.queue);
  await probeRedis(target);
  const log = options.log ?? (() => {});
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const concurrency = options.concurrency ?? 1;
  const backend = options.backend ?? 'auto';
  const entry = options.childEntry ?? defaultChildEntry();
  const stallMs = (options.stallSeconds ?? DEFAULT_STALL_SECONDS) * 1000;
  const slots = Array.from({ length: concurrency }, () => new UnitChildSlot(entry, backend));
  // When each of this worker's slots became free: a job's pickup delay counts from the later of that and its arrival.
  const freeSlots: number[] = Array.from({ length: concurrency }, () => Date.now());
  const counts: WorkerCounts = { completed: 0, failed: 0 };

  const processUnit = async (job: Job<UnitJobData, UnitJobResult>): Promise<UnitJobResult> => {
    const takenAt = Date.now();
    const slotFree = freeSlots.shift() ?? takenAt;
    try {
      const parsed = unitJobDataSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`job ${job.id} is not a curvad unit: ${parsed.error.issues[0]?.message}`);
      const data = parsed.data;
      // BullMQ never runs more than `concurrency` jobs at once, so a slot is free.
      const slot = slots.find((s) => !s.busy);
      if (!slot) throw new Error(`worker ${name}: all ${concurrency} slot(s) busy; BullMQ ran more jobs than its concurrency`);
      let lastProgress = 0;
      const run = slot.run(data, (message) => {
        const now = Date.now();
        if (message.type !== 'epoch-end' || now - lastProgress < PROGRESS_INTERVAL_MS) return;
        lastProgress = now;
        job.updateProgress({ epoch: message.epoch, meanLoss: message.meanLoss }).catch(() => {});
      });
      log(
        `${describeUnit(data)}: started (job ${job.id}, attempt ${job.attemptsMade + 1} of ${job.opts.attempts ?? 1}, unit process ${run.pid}${run.newChild ? ' started' : ' reused'})`,
      );
      const outcome = await run.outcome;
      log(
        `${describeUnit(data)}: saved (${outcome.unitSeconds.toFixed(1)} s unit, ${outcome.processSeconds.toFixed(1)} s in its process, data ${outcome.dataSeconds > 0 ? `loaded in ${outcome.dataSeconds.toFixed(1)} s` : 'cached'}, backend ${outcome.backend})`,
      );
      return {
        worker: name,
        backend: outcome.backend,
        unitSeconds: outcome.unitSeconds,
        processSeconds: outcome.processSeconds,
        pickupMs: Math.max(0, takenAt - Math.max(job.timestamp, slotFree)),
      };
    } finally {
      freeSlots.push(Date.now());
    }
  };

  // Each slot's process starts now (node, tfjs, the backend), not when the first unit arrives.
  for (const slot of slots) slot.warm();
  const worker = new Worker<UnitJobData, UnitJobResult>(UNIT_QUEUE, processUnit, {
    connection: connectionOptions(target),
    prefix: QUEUE_PREFIX,
    name,
    concurrency,
    lockDuration: stallMs,
    stalledInterval: stallMs,
    maxStalledCount: MAX_STALLED_COUNT,
  });
  let lastErrorLog = 0;
  worker.on('error', (error) => {
    const now = Date.now();
    if (now - lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
    lastErrorLog = now;
    log(`queue ${target.display}: ${error.message}; retrying`);
  });
  worker.on('completed', () => {
    counts.completed += 1;
  });
  worker.on('failed', (job, error) => {
    counts.failed += 1;
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    const next =
      job.attemptsMade < attempts
        ? `; BullMQ retries it (attempt ${job.attemptsMade + 1} of ${attempts})`
        : '; no attempt left, recorded as failed';
    log(`${describeUnit(job.data)}: failed: ${error.message}${next}`);
  });
  await worker.waitUntilReady();
  log(
    `worker ${name}: taking units from ${target.display} (concurrency ${concurrency}, backend ${backend}, stalled jobs taken back after ${stallMs / 1000} s)`,
  );
  return {
    name,
    stop: async () => {
      await worker.close();
      for (const slot of slots) slot.close();
      return counts;
    },
    kill: async () => {
      for (const slot of slots) slot.kill();
      await worker.close(true);
      for (const slot of slots) slot.close();
      return counts;
    },
  };
}
