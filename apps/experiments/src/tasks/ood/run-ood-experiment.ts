import { type RunOptions, type RunResult, runExperiment } from '../../core/run-experiment';
import type { OodConfig } from './config/ood-config';
import { oodTask } from './task';

export type RunOodOptions = RunOptions<OodConfig>;
export type RunOodResult = RunResult;

/**
 * Runs a multi-class OOD experiment: for each configuration, trial and model (a unit), train the
 * model, score the ID test set and every OOD set with every detector, evaluate with
 * @curvad/metrics, and persist the unit at once (the core's trial runner: see runExperiment).
 */
export function runOodExperiment(options: RunOodOptions): Promise<RunOodResult> {
  return runExperiment(oodTask, options);
}
