import type { RunReporter } from '@curvad/experiments';
import cliProgress from 'cli-progress';
import { type OutputStream, writeLine } from '../cli-io';
import type { UnitCounts } from '../saved-progress';
import { formatDuration } from './format-duration';
import { formatRunEstimate, RunEta, type RunPlan } from './run-eta';
import type { UnitEnd } from './unit-end';

type Bar = cliProgress.SingleBar;

/** Redraws per second: smooth enough to watch, cheap next to a training step. */
const BAR_FPS = 5;
/** Steps the ETA averages over: a few seconds of batches, so one slow batch does not make it jump. */
const ETA_BUFFER_STEPS = 40;
const LABEL_WIDTH = 14;

const MODEL_BAR_FORMAT = '{label} |{bar}| {percentage}% | {detail} | ETA {eta_formatted}';
const BATCH_BAR_FORMAT = '{label} |{bar}| {value}/{total} batches | loss {loss} | ETA {eta_formatted}';
/** The whole-run bar: its ETA is RunEta's (units of unequal cost), not cli-progress's linear one. */
const RUN_BAR_FORMAT = '{label} |{bar}| {percentage}% | {detail}';
/** The run bar's resolution: its value is the fraction of the run done, in these parts. */
const RUN_BAR_TOTAL = 1000;

/**
 * cli-progress hands the ETA over as seconds, or as the strings '0' (nothing measured yet), 'NULL'
 * or 'INF'; its own formatter cuts those to two letters, so they are shown as '-' here.
 */
export function formatEta(eta: unknown): string {
  return typeof eta === 'number' ? formatDuration(eta) : '-';
}

interface ModelBar {
  bar: Bar;
  epochs: number;
  steps: number;
  epoch: number;
}

/**
 * Progress bars on a terminal (cli-progress MultiBar): once the runner has announced its plan, a
 * first bar for the whole run (models done, elapsed time, ETA); one bar per model of the current
 * trial over all its epochs (filled batch by batch, so its ETA is that of the model), and one bar
 * for the batches of the current epoch with the latest loss. The runner's log lines (the per-trial
 * summary among them) are printed above the bars; the bars are cleared when a trial ends.
 */
export class BarReporter implements RunReporter {
  private readonly multibar: cliProgress.MultiBar;
  private modelBars: ModelBar[] = [];
  private current: ModelBar | null = null;
  private batchBar: Bar | null = null;
  private runBar: Bar | null = null;
  private model = { name: '', index: 0, count: 0 };
  private readonly runEta: RunEta;

  constructor(
    private readonly stream: OutputStream,
    now: () => number = Date.now,
  ) {
    this.runEta = new RunEta(now);
    this.multibar = new cliProgress.MultiBar(
      {
        stream: stream as NodeJS.WritableStream,
        fps: BAR_FPS,
        etaBuffer: ETA_BUFFER_STEPS,
        hideCursor: true,
        clearOnComplete: true,
        // Ctrl-C is handled by the CLI (first press stops after the current step), not by cli-progress.
        gracefulExit: false,
        autopadding: true,
        format: MODEL_BAR_FORMAT,
        formatTime: formatEta,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  log(message: string): void {
    if (this.multibar.isActive) this.multibar.log(`${message}\n`);
    else writeLine(this.stream, message);
  }

  onRunPlan(plan: RunPlan): void {
    this.runEta.onRunPlan(plan);
  }

  unitCounts(): UnitCounts | null {
    const estimate = this.runEta.estimate();
    return estimate ? { done: estimate.unitsDone, total: estimate.units } : null;
  }

  onUnitEnd(unit: UnitEnd): void {
    this.runEta.onUnitEnd(unit.seconds);
    this.updateRunBar();
  }

  onTrialStart(configuration: string, trial: number, trials: number, seed: number): void {
    this.clearBars();
    const estimate = this.runEta.estimate();
    this.log(`${configuration}: trial ${trial + 1} of ${trials} (seed ${seed})${estimate ? `; run ${formatRunEstimate(estimate)}` : ''}`);
  }

  onModelStart(model: string, index: number, count: number): void {
    this.model = { name: model, index, count };
    this.current = null;
    this.runEta.onUnitStart();
  }

  onEpochStart(epoch: number, epochs: number, steps: number): void {
    if (this.current === null) {
      // The batch bar stays last: take it out, add the new model's bar, put it back.
      if (this.batchBar) this.multibar.remove(this.batchBar);
      if (this.runBar === null && this.runEta.planned) {
        this.runBar = this.multibar.create(RUN_BAR_TOTAL, 0, { label: 'run'.padEnd(LABEL_WIDTH), detail: '' }, { format: RUN_BAR_FORMAT });
        this.updateRunBar();
      }
      const label = `${this.model.name} ${this.model.index + 1}/${this.model.count}`.padEnd(LABEL_WIDTH);
      const bar = this.multibar.create(epochs * steps, 0, { label, detail: `epoch 1/${epochs}` }, { format: MODEL_BAR_FORMAT });
      this.current = { bar, epochs, steps, epoch };
      this.modelBars.push(this.current);
      this.batchBar = null;
    }
    this.current.epoch = epoch;
    this.current.bar.update(epoch * this.current.steps, { detail: `epoch ${epoch + 1}/${epochs}` });
    const payload = { label: 'batches'.padEnd(LABEL_WIDTH), loss: '-' };
    if (this.batchBar) this.batchBar.start(steps, 0, payload);
    else this.batchBar = this.multibar.create(steps, 0, payload, { format: BATCH_BAR_FORMAT });
  }

  onStep(step: number, _steps: number, loss: number): void {
    this.batchBar?.update(step + 1, { loss: loss.toFixed(4) });
    if (this.current) {
      const stepsDone = this.current.epoch * this.current.steps + step + 1;
      this.current.bar.update(stepsDone);
      this.runEta.onUnitSteps(stepsDone);
      this.updateRunBar();
    }
  }

  private updateRunBar(): void {
    const estimate = this.runEta.estimate();
    if (!this.runBar || !estimate) return;
    this.runBar.update(Math.round(estimate.progress * RUN_BAR_TOTAL), { detail: formatRunEstimate(estimate) });
  }

  onEpochEnd(epoch: number, meanLoss: number): void {
    if (this.current) this.current.bar.update({ detail: `epoch ${epoch + 1}/${this.current.epochs}, mean loss ${meanLoss.toFixed(4)}` });
  }

  onTrialEnd(): void {
    this.clearBars();
  }

  /** Stops drawing and shows the cursor again (safe to call more than once). */
  stop(): void {
    this.clearBars();
  }

  private clearBars(): void {
    for (const { bar } of this.modelBars) this.multibar.remove(bar);
    if (this.batchBar) this.multibar.remove(this.batchBar);
    if (this.runBar) this.multibar.remove(this.runBar);
    this.runBar = null;
    this.modelBars = [];
    this.current = null;
    this.batchBar = null;
    if (this.multibar.isActive) this.multibar.stop();
  }
}
