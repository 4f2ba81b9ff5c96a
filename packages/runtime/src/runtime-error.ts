const MARKER = Symbol.for('curvad.error.runtime');

/**
 * The error every @curvad/runtime function throws for bad input or an unusable backend. The
 * message says what was wrong and what to do. `CurvadRuntimeError.isInstance(e)` works across
 * duplicate copies of the package (it checks a global symbol, not the class identity).
 */
export class CurvadRuntimeError extends Error {
  private readonly [MARKER] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CurvadRuntimeError';
  }

  static isInstance(error: unknown): error is CurvadRuntimeError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
