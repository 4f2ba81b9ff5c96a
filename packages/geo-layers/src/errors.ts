const MARKER = Symbol.for('curvad.error.geo-layers');

/**
 * The one error type of @curvad/geo-layers: bad layer options (curvature of the wrong sign, too few
 * classes), inputs of the wrong rank or width, and unreadable saved models. The message says what was
 * wrong and what to do. `GeoLayersError.isInstance(e)` recognises it across duplicate package copies,
 * where `instanceof` would not.
 */
export class GeoLayersError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads the marker through a symbol-keyed cast, the one check that works across duplicate package copies
  private readonly [MARKER] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GeoLayersError';
  }

  static isInstance(error: unknown): error is GeoLayersError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
