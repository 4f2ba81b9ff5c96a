// The child-process side of queued units: a worker slot keeps one child alive and sends it unit
// after unit. For each: load the configuration's data (or reuse it: cached per task, config hash
// and configuration), run the task's unit (which seeds the runtime from the unit's own seed, then
// writes weights, scores and unit.json into the results folder, unit.json last and atomically),
// report progress and the outcome. Numbers do not depend on what the child ran before: every unit
// is seeded from its own seed, as in a local run, where one process also runs every unit.
// A unit that throws ends the child after its answer (a failed unit may leave tfjs state behind);
// a crash or out-of-memory kill ends only this process: the slot starts a new one.
import { existsSync } from 'node:fs';
import { initBackend } from '@curvad/runtime';
import { runFilePath } from '../store/unit-store';
import type { LoadedData, RunConfig, Task } from '../task';
import { QueueError } from './queue-error';
import { type ChildMessage, ORPHANED_CHILD_EXIT, type RunUnitRequest, type SlotRequest } from './unit-child-protocol';
import { dataKey, UnitDataCache } from './unit-data-cache';
import { unitJobDataSchema } from './unit-job';

/** A task as the child runs it: the config arrives as JSON from the job, made by the same task's submitter. */
export type QueueTask = Task<RunConfig, LoadedData>;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });
}

class UnitChildServer {
  private readonly cache = new UnitDataCache<LoadedData>();
  private backend: { requested: string; chosen: Promise<string> } | null = null;

  constructor(private readonly tasks: readonly QueueTask[]) {}

  /** Starts the backend's initialization ahead of the first unit; its error, if any, is that unit's. */
  prepare(requested: string): void {
    try {
      this.initBackendOnce(requested).catch(() => {});
    } catch {
      // A second backend for this child: the unit that asks for it gets the error.
    }
  }

  private initBackendOnce(requested: string): Promise<string> {
    if (this.backend === null) {
      this.backend = {
        requested,
        chosen: initBackend({ backend: requested as 'auto', log: false }).then((choice) => choice.backend),
      };
    } else if (this.backend.requested !== requested) {
      throw new QueueError(
        `this unit process runs on backend '${this.backend.requested}' and was asked for '${requested}': a worker's slot keeps one backend; start the worker with --backend ${requested}.`,
      );
    }
    return this.backend.chosen;
  }

  async run(request: RunUnitRequest): Promise<ChildMessage> {
    const job = unitJobDataSchema.parse(request.job);
    const task = this.tasks.find((t) => t.name === job.task);
    if (!task)
      throw new QueueError(
        `this worker has no task '${job.task}' (it knows ${this.tasks.map((t) => t.name).join(', ')}); update curvad on it.`,
      );
    if (!existsSync(runFilePath(job.outDir))) {
      throw new QueueError(
        `the results folder ${job.outDir} is not visible on this worker (no ${runFilePath(job.outDir)}): mount the submitter's results folder at the same path on every worker.`,
      );
    }
    const backend = await this.initBackendOnce(request.backend);
    const config = job.config as unknown as RunConfig;
    const loadStarted = performance.now();
    const { data, cached } = await this.cache.get(dataKey(job.task, job.config, job.configuration), () =>
      task.loadData(config, job.configuration),
    );
    const dataSeconds = cached ? 0 : (performance.now() - loadStarted) / 1000;
    const unit = await task.runUnit({
      config,
      outDir: job.outDir,
      configuration: job.configuration,
      data,
      trial: job.trial,
      unit: job.unit,
      unitIndex: job.unitIndex,
      saveScores: job.saveScores,
      progress: {
        onEpochStart: (epoch, epochs, steps) => void send({ type: 'epoch-start', epoch, epochs, steps }),
        onEpochEnd: (epoch, meanLoss) => void send({ type: 'epoch-end', epoch, meanLoss }),
      },
    });
    return { type: 'done', unitSeconds: unit.wallTimeSec, backend, dataSeconds };
  }
}

/**
 * Serves units, one request at a time, until the worker goes away: then it exits at once, writing
 * nothing more, so a unit never finishes behind the back of a worker the queue considers dead.
 */
export function serveUnitChild(tasks: readonly QueueTask[]): void {
  const server = new UnitChildServer(tasks);
  process.on('disconnect', () => process.exit(ORPHANED_CHILD_EXIT));
  // The slot sends one request at a time; chaining keeps that true even if it did not.
  let previous: Promise<void> = Promise.resolve();
  process.on('message', (request: SlotRequest) => {
    if (request.type === 'prepare') {
      server.prepare(request.backend);
      return;
    }
    previous = previous.then(async () => {
      const outcome = await server
        .run(request)
        .catch((error: unknown): ChildMessage => ({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
      await send(outcome);
      if (outcome.type === 'error') process.exit(0);
    });
  });
}
