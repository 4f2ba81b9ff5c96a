// The tasks of this app. The core never imports a task: what needs every task (reading a recorded
// config for `curvad report`) asks this list.
import type { ConfigFacts } from '../core/report/run-facts';
import type { LoadedData, RunConfig, Task } from '../core/task';
import { oneClassTask } from './one-class/task';
import { oodTask } from './ood/task';
import { patchSvddTask } from './patch-svdd/task';
import { segmentationTask } from './segmentation/task';

/** Every task, by what the app asks of all of them. */
export const TASKS: readonly Pick<Task<RunConfig, LoadedData>, 'name' | 'configFacts' | 'reportSections'>[] = [
  oodTask,
  oneClassTask,
  segmentationTask,
  patchSvddTask,
];

/** Every task as a queued unit's child process runs it (`curvad worker`): its config arrives as the job's JSON. */
export const RUNNABLE_TASKS: readonly Task<RunConfig, LoadedData>[] = [oodTask, oneClassTask, segmentationTask, patchSvddTask];

/** The first task's reading of a recorded config (null when none reads it). */
export const anyTaskConfigFacts: ConfigFacts = (config) => {
  for (const task of TASKS) {
    const facts = task.configFacts(config);
    if (facts !== null) return facts;
  }
  return null;
};

/** The task that reads a recorded config (the first whose configFacts accepts it); null when none does. */
export function recordingTask(config: unknown): (typeof TASKS)[number] | null {
  return TASKS.find((task) => task.configFacts(config) !== null) ?? null;
}
