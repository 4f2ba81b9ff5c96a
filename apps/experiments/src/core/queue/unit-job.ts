// What a queued unit carries (BullMQ job data) and what a worker returns for it (the job's return
// value, kept in Redis). The unit's scores, metrics and weights are not in Redis: the worker writes
// them into the results folder the submitter named (a folder every machine sees at the same path),
// with the same atomic writes as a local run, and the submitter reads unit.json from there.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { unitSeed } from '../seeds';
import type { RunConfig } from '../task';
import { stableJson } from './stable-json';

/** BullMQ key prefix and queue name: every curvad unit of every task goes through `curvad:units`. */
export const QUEUE_PREFIX = 'curvad';
export const UNIT_QUEUE = 'units';

export const unitJobDataSchema = z.object({
  /** The task's name ('ood'): the worker's child process runs this task's runUnit. */
  task: z.string().min(1),
  /** The resolved config, as the submitter's runExperiment has it. */
  config: z.record(z.string(), z.unknown()),
  /** The results folder, an absolute path every worker sees (a shared mount). */
  outDir: z.string().min(1),
  configuration: z.string(),
  trial: z.number().int().nonnegative(),
  unit: z.string(),
  unitIndex: z.number().int().nonnegative(),
  saveScores: z.boolean(),
});
export type UnitJobData = z.infer<typeof unitJobDataSchema>;

/** A finished unit as the worker reports it (small: the unit itself is in the results folder). */
export interface UnitJobResult {
  /** The worker's name (host and process id). */
  worker: string;
  /** The tfjs backend the unit ran on. */
  backend: string;
  /** The unit's own time (training, scoring, saving), as unit.json records it. */
  unitSeconds: number;
  /** From the request to its child to the answer: the unit, data loading unless cached, the child's start if it was new. */
  processSeconds: number;
  /** From the moment the job could be taken (added, or a slot of this worker free) to the moment it was. */
  pickupMs: number;
}

/** Config fields that do not change a unit's work: adding trials to a run must not rename its finished units. */
const NOT_IN_JOB_ID = ['trials'] as const;

/**
 * The unit's job id: a hash of the task, the resolved config (without `trials`), the configuration,
 * trial, unit, its seed and the results folder. The same unit of the same run is one job however
 * often and by however many submitters it is queued; BullMQ ignores the second add of an id.
 */
export function unitJobId(data: Omit<UnitJobData, 'saveScores'>): string {
  const config = { ...data.config } as Record<string, unknown>;
  for (const key of NOT_IN_JOB_ID) delete config[key];
  const seed = unitSeed((data.config as unknown as RunConfig).seed, data.trial, data.unitIndex);
  const identity = stableJson({
    task: data.task,
    config,
    configuration: data.configuration,
    trial: data.trial,
    unit: data.unit,
    unitIndex: data.unitIndex,
    seed,
    outDir: data.outDir,
  });
  // BullMQ refuses ids that are plain integers; the prefix also says what the job is in redis-cli.
  return `unit-${createHash('sha256').update(identity).digest('hex').slice(0, 40)}`;
}

/** `holdout trial 0 HiO`: a unit in log lines. */
export function describeUnit(unit: Pick<UnitJobData, 'configuration' | 'trial' | 'unit'>): string {
  return `${unit.configuration} trial ${unit.trial} ${unit.unit}`;
}
