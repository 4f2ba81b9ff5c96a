const MARKER = Symbol.for('curvad.error.anomaly-scores');

/**
 * The one error type of @curvad/anomaly-scores: wrong tensor ranks or shapes, mismatched class
 * counts, NaN or infinite inputs, bad options. The message says what was wrong and what to do.
 *
 * Recognise it with `AnomalyScoreError.isInstance(e)` rather than `instanceof`: the marker symbol
 * is shared through the global symbol registry, so the check also works when two copies of the
 * package are loaded (e.g. ESM and CJS builds side by side).
 */
export class AnomalyScoreError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads the marker through a symbol-keyed cast, the one check that works across duplicate package copies
  private readonly [MARKER] = true;

  constructor(message: string) {
    super(message);
    this.name = 'AnomalyScoreError';
  }

  static isInstance(error: unknown): error is AnomalyScoreError {
    return typeof error === 'object' && error !== null && MARKER in error && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
