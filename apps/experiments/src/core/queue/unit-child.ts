// The child-process side of a queued unit: load the configuration's data, run the task's unit
// (which writes weights, scores and unit.json into the results folder, unit.json last and
// atomically), report progress and the outcome to the worker, and exit. A crash or out-of-memory
// here ends this process only; the worker records the job as failed and BullMQ retries it.
import { existsSync } from 'node:fs';
import { initBackend } from '@curvad/runtime';
import { runFilePath } from '../store/unit-store';
import type { LoadedData, RunConfig, Task } from '../task';
import { QueueError } from './queue-error';
import { type ChildMessage, ORPHANED_CHILD_EXIT, type RunUnitRequest } from './unit-child-protocol';
import { unitJobDataSchema } from './unit-job';

/** A task as the child runs it: the config arrives as JSON from the job, made by the same task's submitter. */
export type QueueTask = Task<RunConfig, LoadedData>;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });
}

async function runRequest(tasks: readonly QueueTask[], request: RunUnitRequest): Promise<ChildMessage> {
  const job = unitJobDataSchema.parse(request.job);
  const task = tasks.find((t) => t.name === job.task);
  if (!task)
    throw new QueueError(`this worker has no task '${job.task}' (it knows ${tasks.map((t) => t.name).join(', ')}); update curvad on it.`);
  if (!existsSync(runFilePath(job.outDir))) {
    throw new QueueError(
      `the results folder ${job.outDir} is not visible on this worker (no ${runFilePath(job.outDir)}): mount the submitter's results folder at the same path on every worker.`,
    );
  }
  const choice = await initBackend({ backend: request.backend as 'auto', log: false });
  const config = job.config as unknown as RunConfig;
  const data = await task.loadData(config, job.configuration);
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
  return { type: 'done', unitSeconds: unit.wallTimeSec, backend: choice.backend };
}

/**
 * Serves one unit: waits for the worker's `run` request, answers `done` or `error`, exits. Exits
 * at once, writing nothing more, when the worker goes away (killed), so a unit never finishes
 * behind the back of the worker that the queue considers dead.
 */
export function serveUnitChild(tasks: readonly QueueTask[]): void {
  process.on('disconnect', () => process.exit(ORPHANED_CHILD_EXIT));
  process.once('message', (request: RunUnitRequest) => {
    runRequest(tasks, request)
      .catch((error: unknown): ChildMessage => ({ type: 'error', message: error instanceof Error ? error.message : String(error) }))
      .then(async (outcome) => {
        await send(outcome);
        process.exit(0);
      });
  });
}
