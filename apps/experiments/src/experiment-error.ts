const MARKER = Symbol.for('curvad.error.experiments');

/** A user-facing problem with an experiment (bad config, missing data, interrupted run). */
export class ExperimentError extends Error {
  readonly [MARKER] = true;
  override readonly name: string = 'ExperimentError';

  static isInstance(error: unknown): error is ExperimentError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** Thrown inside a trial when the run was asked to stop (Ctrl-C); the trial is not recorded. */
export class InterruptedError extends ExperimentError {
  override readonly name: string = 'InterruptedError';
}

/** An invalid experiment config; an ExperimentError, so `ExperimentError.isInstance` recognises it. */
export class ConfigError extends ExperimentError {
  override readonly name: string = 'ConfigError';
}
