import { formatDuration } from './format-duration';

/** What the runner announces before any work (RunReporter.onRunPlan). */
export interface RunPlan {
  /** (configuration, trial, model) units of the whole run, finished ones included. */
  units: number;
  /** Units already finished before this run started (a resumed run). */
  unitsDone: number;
  /** Training steps of one unit (epochs x batches per epoch). */
  stepsPerUnit: number;
}

export interface RunEstimate {
  /** Units finished, over the whole run (earlier runs included). */
  unitsDone: number;
  units: number;
  /** Fraction of the run done, the current unit's training steps included: 0 to 1. */
  progress: number;
  /** Seconds since the plan arrived (this invocation's part of the run). */
  elapsedSec: number;
  /** Seconds left for the whole run, or null before anything has been measured. */
  etaSec: number | null;
}

/**
 * The whole run's elapsed time and ETA from the runner's plan, its unit ends and the training
 * steps in between. A unit's time is its training plus its scoring, which steps alone do not show:
 * once a unit has finished in this run, units are timed by the mean of the finished ones (the
 * current one counts as the fraction of its steps done); before that, by the current unit's step
 * rate, which leaves scoring out and is refined when the first unit ends.
 */
export class RunEta {
  private plan: RunPlan | null = null;
  private startedAt = 0;
  private finishedSeconds: number[] = [];
  private unitStartedAt = 0;
  private unitSteps = 0;

  constructor(private readonly now: () => number) {}

  get planned(): boolean {
    return this.plan !== null;
  }

  onRunPlan(plan: RunPlan): void {
    this.plan = { ...plan };
    this.startedAt = this.now();
    this.finishedSeconds = [];
    this.onUnitStart();
  }

  /** A model starts training: the steps of the current unit count from 0. */
  onUnitStart(): void {
    this.unitStartedAt = this.now();
    this.unitSteps = 0;
  }

  /** Steps of the current unit done so far (all its epochs together). */
  onUnitSteps(stepsDone: number): void {
    this.unitSteps = stepsDone;
  }

  onUnitEnd(seconds: number): void {
    this.finishedSeconds.push(seconds);
    this.onUnitStart();
  }

  estimate(): RunEstimate | null {
    const plan = this.plan;
    if (!plan) return null;
    const now = this.now();
    const unitsDone = Math.min(plan.units, plan.unitsDone + this.finishedSeconds.length);
    const left = plan.units - unitsDone;
    const elapsedSec = (now - this.startedAt) / 1000;
    const fraction = plan.stepsPerUnit > 0 ? Math.min(1, this.unitSteps / plan.stepsPerUnit) : 0;
    let perUnit: number | null = null;
    if (this.finishedSeconds.length > 0) perUnit = this.finishedSeconds.reduce((a, s) => a + s, 0) / this.finishedSeconds.length;
    else if (fraction > 0) perUnit = (now - this.unitStartedAt) / 1000 / fraction;
    const etaSec = left === 0 ? 0 : perUnit === null ? null : Math.max(0, perUnit * (left - fraction));
    const progress = plan.units === 0 ? 1 : Math.min(1, (unitsDone + (left > 0 ? fraction : 0)) / plan.units);
    return { unitsDone, units: plan.units, progress, elapsedSec, etaSec };
  }
}

/** `run: 3/14 models, elapsed 2 min 05 s, ETA 7 min 40 s` (ETA `-` before anything is measured). */
export function formatRunEstimate(estimate: RunEstimate): string {
  const eta = estimate.etaSec === null ? '-' : formatDuration(estimate.etaSec);
  return `${estimate.unitsDone}/${estimate.units} models, elapsed ${formatDuration(estimate.elapsedSec)}, ETA ${eta}`;
}
