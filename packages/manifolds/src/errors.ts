/**
 * The one error class of @curvad/manifolds. It carries a marker symbol so that `isInstance`
 * recognises errors thrown by another copy of the package (two versions in one bundle), where
 * `instanceof` would fail.
 */
const MARKER = Symbol.for('curvad.error.manifolds');

export class ManifoldError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads the marker through a symbol-keyed cast, the one check that works across duplicate package copies
  private readonly [MARKER] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ManifoldError';
  }

  /** True for a ManifoldError from any copy of this package. */
  static isInstance(error: unknown): error is ManifoldError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** `[2,3]`-style rendering of a shape for error messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
