// The submitter's side of a queued run: one BullMQ job per pending unit (the job id a hash of the
// unit, so a unit is queued once however often it is submitted), then following the jobs until each
// is done or failed. Following listens to BullMQ's queue events (a job's `active`, `completed` and
// `failed` arrive within milliseconds); a slow reconciliation pass over every pending job catches
// what the event stream missed (events are not replayed after a Redis restart or a reconnection).
// The workers write each unit into the results folder; the submitter reads its unit.json from
// there and Redis holds only the jobs' state.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Job, Queue, QueueEvents } from 'bullmq';
import { UNIT_FILE, type UnitRecord, unitDir, unitSchema } from '../store/unit-store';
import { parseQueueUrl, type QueueTarget } from './queue-url';
import { connectionOptions, probeRedis } from './redis-connection';
import type { ExecutorEvents, ExecutorRun, PendingUnit, UnitExecutor } from './unit-executor';
import { describeUnit, QUEUE_PREFIX, UNIT_QUEUE, type UnitJobData, type UnitJobResult, unitJobId } from './unit-job';

/** A failing unit runs this many times in all before it is recorded as failed. */
export const DEFAULT_ATTEMPTS = 3;
/** Seconds before the first retry; each further retry waits twice as long (BullMQ's exponential backoff). */
export const DEFAULT_BACKOFF_SECONDS = 10;
/**
 * How often the submitter looks at every pending job, besides the events: only a missed event
 * (Redis restarted, the event stream trimmed) waits this long; units take seconds to minutes.
 */
export const DEFAULT_RECONCILE_MS = 5000;

export interface QueueExecutorOptions {
  /** The queue's URL, redis://HOST:PORT[/DB]. */
  queue: string;
  attempts?: number;
  backoffSeconds?: number;
  /** Milliseconds between reconciliation passes over every pending job (default DEFAULT_RECONCILE_MS). */
  reconcileMs?: number;
}

/** The queue's cost per unit, measured over a run (the submitter logs it at the end). */
export interface QueueOverhead {
  units: number;
  /** From the moment a job could be taken (queued, or a worker slot free) to the moment a worker took it. */
  pickupMs: number[];
  /** From a job's completion in Redis to the submitter recording it. */
  resultMs: number[];
  /** A unit's time in its process minus the unit's own: data loading unless cached, and the process's start when the unit started it. */
  processMs: number[];
  unitMs: number[];
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One line for the log: the queue's overhead per unit (medians) against a unit's time. */
export function describeOverhead(overhead: QueueOverhead): string {
  const unit = median(overhead.unitMs);
  const queue = median(overhead.pickupMs) + median(overhead.resultMs);
  const share = unit > 0 ? ` (${((100 * queue) / unit).toFixed(2)}% of a unit's ${(unit / 1000).toFixed(1)} s)` : '';
  return `queue overhead over ${overhead.units} unit(s), medians: pickup ${median(overhead.pickupMs).toFixed(0)} ms, result ${median(overhead.resultMs).toFixed(0)} ms${share}; unit process start and data loading ${(median(overhead.processMs) / 1000).toFixed(2)} s per unit (paid once per worker slot and configuration)`;
}

/** Waits `ms`, or less when `wake` is called or `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined, setWake: (wake: (() => void) | null) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      setWake(null);
      resolve();
    }
    setWake(done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

async function readUnitRecord(outDir: string, unit: PendingUnit): Promise<UnitRecord | string> {
  const path = join(unitDir(outDir, { configuration: unit.configuration, trial: unit.trial, model: unit.unit }), UNIT_FILE);
  try {
    return unitSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? `${describeUnit(unit)}: a worker finished it, but ${path} is not here: the results folder must be one shared folder, at the same path, for the submitter and every worker`
      : `${describeUnit(unit)}: a worker finished it, but ${path} cannot be read (${(error as Error).message})`;
  }
}

interface Submitted {
  id: string;
  unit: PendingUnit;
}

class QueueExecutor implements UnitExecutor {
  readonly overhead: QueueOverhead = { units: 0, pickupMs: [], resultMs: [], processMs: [], unitMs: [] };

  constructor(
    private readonly target: QueueTarget,
    private readonly options: QueueExecutorOptions,
  ) {}

  async execute(run: ExecutorRun, events: ExecutorEvents): Promise<{ interrupted: boolean }> {
    const log = run.log ?? (() => {});
    const queue = new Queue(UNIT_QUEUE, { connection: connectionOptions(this.target), prefix: QUEUE_PREFIX });
    const queueEvents = new QueueEvents(UNIT_QUEUE, { connection: connectionOptions(this.target), prefix: QUEUE_PREFIX });
    let lastError = '';
    const onError = (error: Error) => {
      if (error.message !== lastError) log(`queue ${this.target.display}: ${error.message}; reconnecting`);
      lastError = error.message;
    };
    queue.on('error', onError);
    queueEvents.on('error', onError);
    try {
      // Listening before the jobs exist: an event of a quick unit cannot slip between submitting and following.
      await queueEvents.waitUntilReady();
      const submitted = await this.submit(queue, run, log);
      return { interrupted: await this.follow(queue, queueEvents, run, submitted, events, log) };
    } finally {
      await Promise.all([queueEvents.close(), queue.close()]);
    }
  }

  private async submit(queue: Queue, run: ExecutorRun, log: (m: string) => void): Promise<Submitted[]> {
    const attempts = this.options.attempts ?? DEFAULT_ATTEMPTS;
    const delay = (this.options.backoffSeconds ?? DEFAULT_BACKOFF_SECONDS) * 1000;
    const counts = { added: 0, attached: 0, retried: 0 };
    const submitted: Submitted[] = [];
    for (const unit of run.units) {
      const data: UnitJobData = { task: run.task, config: run.config, outDir: run.outDir, saveScores: run.saveScores, ...unit };
      const id = unitJobId(data);
      submitted.push({ id, unit });
      const existing = await queue.getJob(id);
      const state = existing ? await existing.getState() : 'unknown';
      if (existing && state === 'failed') {
        // A failed unit of an earlier submission: --resume runs it again, as a local run retries failed trials.
        await existing.retry('failed').catch(() => {});
        counts.retried += 1;
        continue;
      }
      if (existing && state === 'completed' && typeof (await readUnitRecord(run.outDir, unit)) === 'string') {
        // Finished once, but its unit.json is gone from the folder (deleted by hand): run it again.
        await existing.remove();
      } else if (existing) {
        counts.attached += 1;
        continue;
      }
      await queue.add(unit.unit, data, {
        jobId: id,
        attempts,
        backoff: { type: 'exponential', delay },
        removeOnComplete: false,
        removeOnFail: false,
      });
      counts.added += 1;
    }
    log(
      `queue ${this.target.display}: ${counts.added} unit job(s) queued, ${counts.attached} already queued or running, ${counts.retried} failed before and queued again; start workers with: npx curvad worker --queue ${this.target.display}`,
    );
    return submitted;
  }

  private async follow(
    queue: Queue,
    queueEvents: QueueEvents,
    run: ExecutorRun,
    submitted: Submitted[],
    events: ExecutorEvents,
    log: (m: string) => void,
  ): Promise<boolean> {
    const pending = new Map(submitted.map((s) => [s.id, s.unit]));
    const started = new Set<string>();
    const reconcileMs = this.options.reconcileMs ?? DEFAULT_RECONCILE_MS;
    // Jobs an event named since the last look; `wake` cuts the wait short when one arrives.
    const due = new Set<string>();
    let wake: (() => void) | null = null;
    const nudge = ({ jobId }: { jobId: string }) => {
      if (!pending.has(jobId)) return;
      due.add(jobId);
      wake?.();
    };
    queueEvents.on('active', nudge);
    queueEvents.on('completed', nudge);
    queueEvents.on('failed', nudge);
    try {
      let lastReconcile = Number.NEGATIVE_INFINITY;
      while (pending.size > 0) {
        if (run.signal?.aborted) return true;
        let ids: string[];
        if (Date.now() - lastReconcile >= reconcileMs) {
          lastReconcile = Date.now();
          ids = [...pending.keys()];
        } else ids = [...due].filter((id) => pending.has(id));
        due.clear();
        await this.look(queue, ids, pending, started, run, events);
        if (pending.size > 0 && due.size === 0)
          await sleep(lastReconcile + reconcileMs - Date.now(), run.signal, (w) => {
            wake = w;
          });
      }
    } finally {
      queueEvents.off('active', nudge);
      queueEvents.off('completed', nudge);
      queueEvents.off('failed', nudge);
    }
    if (this.overhead.units > 0) log(describeOverhead(this.overhead));
    return false;
  }

  /** Reads the state of the jobs `ids` and records each outcome, one at a time (each rewrites results.json). */
  private async look(
    queue: Queue,
    ids: readonly string[],
    pending: Map<string, PendingUnit>,
    started: Set<string>,
    run: ExecutorRun,
    events: ExecutorEvents,
  ): Promise<void> {
    const states = await Promise.all(ids.map(async (id) => [id, await queue.getJobState(id)] as const));
    for (const [id, state] of states) {
      const unit = pending.get(id);
      if (!unit) continue;
      if (state === 'active' && !started.has(id)) {
        started.add(id);
        const job = await queue.getJob(id);
        events.onUnitStart(unit, job?.processedBy ?? 'a worker');
      } else if (state === 'completed') {
        pending.delete(id);
        const job = (await queue.getJob(id)) as Job<UnitJobData, UnitJobResult> | undefined;
        const record = await readUnitRecord(run.outDir, unit);
        if (typeof record === 'string') await events.onUnitFailed(unit, record);
        else {
          if (job) this.measure(job, record);
          await events.onUnitDone(record);
        }
      } else if (state === 'failed') {
        pending.delete(id);
        const job = await queue.getJob(id);
        await events.onUnitFailed(unit, `${job?.failedReason ?? 'failed'} (${job?.attemptsMade ?? '?'} attempt(s))`);
      } else if (state === 'unknown') {
        pending.delete(id);
        await events.onUnitFailed(
          unit,
          `${describeUnit(unit)}: its job ${id} disappeared from the queue (removed by hand, or Redis lost its data); --resume queues it again`,
        );
      }
    }
  }

  private measure(job: Job<UnitJobData, UnitJobResult>, record: UnitRecord): void {
    const result = job.returnvalue;
    if (!result || job.finishedOn === undefined) return;
    this.overhead.units += 1;
    this.overhead.pickupMs.push(result.pickupMs);
    this.overhead.resultMs.push(Math.max(0, Date.now() - job.finishedOn));
    this.overhead.processMs.push(Math.max(0, (result.processSeconds - result.unitSeconds) * 1000));
    this.overhead.unitMs.push(record.wallTimeSec * 1000);
  }
}

/**
 * The executor of `runExperiment`'s `executor` option for a BullMQ queue on Redis. Checks the URL
 * and that Redis answers first: a QueueError within seconds, before the run touches its folder.
 */
export async function createQueueExecutor(options: QueueExecutorOptions): Promise<UnitExecutor & { overhead: QueueOverhead }> {
  const target = parseQueueUrl(options.queue);
  await probeRedis(target);
  return new QueueExecutor(target, options);
}
