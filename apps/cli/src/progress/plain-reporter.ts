import type { RunReporter } from '@curvad/experiments';
import { type OutputStream, writeLine } from '../cli-io';
import type { UnitCounts } from '../saved-progress';
import { formatDuration } from './format-duration';
import { formatRunEstimate, RunEta, type RunPlan } from './run-eta';
import type { UnitEnd } from './unit-end';

/** Seconds between two progress lines within an epoch: often enough to see a CI job is alive, rarely enough to keep its log readable. */
export const PLAIN_PROGRESS_INTERVAL_MS = 15_000;

interface EpochState {
  epoch: number;
  epochs: number;
  steps: number;
  startedAt: number;
}

/**
 * Progress as plain lines for logs and pipes (no terminal): one line per trial, model and epoch,
 * and a line with batch, loss and ETA at most every PLAIN_PROGRESS_INTERVAL_MS within an epoch.
 * Once the runner has announced its plan, the trial and model lines and the batch lines also carry
 * the whole run's progress, elapsed time and ETA.
 */
export class PlainReporter implements RunReporter {
  private model = '';
  private epochState: EpochState | null = null;
  private lastLineAt = 0;
  private readonly runEta: RunEta;

  constructor(
    private readonly stream: OutputStream,
    private readonly now: () => number = Date.now,
    private readonly intervalMs = PLAIN_PROGRESS_INTERVAL_MS,
  ) {
    this.runEta = new RunEta(now);
  }

  onRunPlan(plan: RunPlan): void {
    this.runEta.onRunPlan(plan);
    const before = plan.unitsDone > 0 ? ` (${plan.unitsDone} finished before)` : '';
    writeLine(this.stream, `run: ${plan.units} models to train and score${before}`);
  }

  unitCounts(): UnitCounts | null {
    const estimate = this.runEta.estimate();
    return estimate ? { done: estimate.unitsDone, total: estimate.units } : null;
  }

  onUnitEnd(unit: UnitEnd): void {
    this.runEta.onUnitEnd(unit.seconds);
  }

  /** `; run 3/14 models, elapsed ..., ETA ...` once the plan is known, else nothing. */
  private runSuffix(): string {
    const estimate = this.runEta.estimate();
    return estimate ? `; run ${formatRunEstimate(estimate)}` : '';
  }

  log(message: string): void {
    writeLine(this.stream, message);
  }

  onTrialStart(configuration: string, trial: number, trials: number, seed: number): void {
    writeLine(this.stream, `${configuration}: trial ${trial + 1} of ${trials} (seed ${seed})${this.runSuffix()}`);
  }

  onModelStart(model: string, index: number, count: number): void {
    this.model = model;
    this.runEta.onUnitStart();
    writeLine(this.stream, `  model ${model} (${index + 1} of ${count})${this.runSuffix()}`);
  }

  onEpochStart(epoch: number, epochs: number, steps: number): void {
    this.epochState = { epoch, epochs, steps, startedAt: this.now() };
    this.lastLineAt = this.epochState.startedAt;
  }

  onStep(step: number, steps: number, loss: number): void {
    const state = this.epochState;
    if (!state) return;
    this.runEta.onUnitSteps(state.epoch * state.steps + step + 1);
    const now = this.now();
    if (now - this.lastLineAt < this.intervalMs) return;
    this.lastLineAt = now;
    const done = step + 1;
    const perStep = (now - state.startedAt) / 1000 / done;
    writeLine(
      this.stream,
      `    ${this.model} epoch ${state.epoch + 1}/${state.epochs}: batch ${done}/${steps}, loss ${loss.toFixed(4)}, epoch ETA ${formatDuration(perStep * (steps - done))}${this.runSuffix()}`,
    );
  }

  onEpochEnd(epoch: number, meanLoss: number): void {
    const state = this.epochState;
    const took = state ? formatDuration((this.now() - state.startedAt) / 1000) : '?';
    writeLine(this.stream, `    ${this.model} epoch ${epoch + 1}/${state?.epochs ?? '?'}: mean loss ${meanLoss.toFixed(4)} (${took})`);
    this.epochState = null;
  }

  stop(): void {}
}
