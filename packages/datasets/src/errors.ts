const MARKER = Symbol.for('curvad.error.datasets');

/**
 * The one error type of @curvad/datasets: a missing or corrupt file, a wrong magic number, a
 * failed download or checksum, bad options. The message names the file (or URL) and says what was
 * expected and what to do.
 *
 * Recognise it with `DatasetError.isInstance(e)` rather than `instanceof`: the marker symbol lives
 * in the global symbol registry, so the check also holds when the ESM and CJS builds are both loaded.
 */
export class DatasetError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads the marker through a symbol-keyed cast, the one check that works across duplicate package copies
  private readonly [MARKER] = true;
  /** The file, folder or URL the error is about, when there is one. */
  readonly path: string | undefined;

  constructor(message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DatasetError';
    this.path = options.path;
  }

  static isInstance(error: unknown): error is DatasetError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
