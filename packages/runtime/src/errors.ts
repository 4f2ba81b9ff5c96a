const MARKER = Symbol.for('curvad.error.runtime');

/**
 * The one error type of @curvad/runtime: bad input or an unusable backend. The message says what was
 * wrong and what to do. `CurvadRuntimeError.isInstance(e)` works across duplicate copies of the
 * package (it checks a global symbol, not the class identity).
 *
 * Named like the other packages' errors (<Package>Error), except for the `Curvad` prefix: a plain
 * `RuntimeError` would read, in a log or an `error.name` check, like WebAssembly.RuntimeError, the
 * trap this package's wasm kernels and tfjs-backend-wasm can raise.
 */
export class CurvadRuntimeError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads the marker through a symbol-keyed cast, the one check that works across duplicate package copies
  private readonly [MARKER] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CurvadRuntimeError';
  }

  static isInstance(error: unknown): error is CurvadRuntimeError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
