import type { RunReporter } from '@curvad/experiments';
import { writeLine, type OutputStream } from '../cli-io';
import { formatDuration } from './format-duration';

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
 */
export class PlainReporter implements RunReporter {
  private model = '';
  private epochState: EpochState | null = null;
  private lastLineAt = 0;

  constructor(
    private readonly stream: OutputStream,
    private readonly now: () => number = Date.now,
    private readonly intervalMs = PLAIN_PROGRESS_INTERVAL_MS,
  ) {}

  log(message: string): void {
    writeLine(this.stream, message);
  }

  onTrialStart(configuration: string, trial: number, trials: number, seed: number): void {
    writeLine(this.stream, `${configuration}: trial ${trial + 1} of ${trials} (seed ${seed})`);
  }

  onModelStart(model: string, index: number, count: number): void {
    this.model = model;
    writeLine(this.stream, `  model ${model} (${index + 1} of ${count})`);
  }

  onEpochStart(epoch: number, epochs: number, steps: number): void {
    this.epochState = { epoch, epochs, steps, startedAt: this.now() };
    this.lastLineAt = this.epochState.startedAt;
  }

  onStep(step: number, steps: number, loss: number): void {
    const state = this.epochState;
    if (!state) return;
    const now = this.now();
    if (now - this.lastLineAt < this.intervalMs) return;
    this.lastLineAt = now;
    const done = step + 1;
    const perStep = (now - state.startedAt) / 1000 / done;
    writeLine(
      this.stream,
      `    ${this.model} epoch ${state.epoch + 1}/${state.epochs}: batch ${done}/${steps}, loss ${loss.toFixed(4)}, epoch ETA ${formatDuration(perStep * (steps - done))}`,
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
