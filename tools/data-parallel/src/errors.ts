const MARKER = Symbol.for('curvad.error.data-parallel');

/**
 * The one error type of @curvad/data-parallel: bad options or input, and workers that fail to start,
 * crash or fail a step. The message says what was wrong and what to do. `DataParallelError.isInstance(e)`
 * works across duplicate copies of the package (it checks a global symbol, not the class identity).
 * Backend problems inside a worker come from @curvad/runtime's `initBackend` and reach the caller as the
 * text of a DataParallelError naming the worker.
 */
export class DataParallelError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads the marker through a symbol-keyed cast, the one check that works across duplicate package copies
  private readonly [MARKER] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DataParallelError';
  }

  static isInstance(error: unknown): error is DataParallelError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
