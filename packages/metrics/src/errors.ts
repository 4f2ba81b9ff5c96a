const METRICS_ERROR_MARKER = Symbol.for('curvad.error.metrics');

/** What went wrong, for code that wants to react to one kind of problem. */
export type MetricsErrorCode =
  | 'bad-input'
  | 'empty-input'
  | 'length-mismatch'
  | 'non-finite-score'
  | 'bad-label'
  | 'single-class'
  | 'bad-parameter'
  | 'bad-shape';

/**
 * The one error type of @curvad/metrics. Its message says what was wrong and what to do.
 * `MetricsError.isInstance(e)` recognises it even across duplicate copies of the package
 * (it checks a `Symbol.for` marker, not the prototype chain).
 */
export class MetricsError extends Error {
  readonly code: MetricsErrorCode;
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads the marker through a symbol-keyed cast, the one check that works across duplicate package copies
  private readonly [METRICS_ERROR_MARKER] = true;

  constructor(code: MetricsErrorCode, message: string) {
    super(message);
    this.name = 'MetricsError';
    this.code = code;
  }

  static isInstance(error: unknown): error is MetricsError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[METRICS_ERROR_MARKER] === true;
  }
}
