const BACKBONE_ERROR_MARKER = Symbol.for('curvad.error.backbones');

/**
 * Thrown for bad backbone options: an unknown registry name, an invalid depth, a bad input shape.
 * Recognise it with `BackboneError.isInstance(e)`, which also works across duplicate copies of the
 * package (it checks a global marker symbol, not the class identity).
 */
export class BackboneError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads the marker through a symbol-keyed cast, the one check that works across duplicate package copies
  private readonly [BACKBONE_ERROR_MARKER] = true;

  constructor(message: string) {
    super(message);
    this.name = 'BackboneError';
  }

  static isInstance(error: unknown): error is BackboneError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BACKBONE_ERROR_MARKER] === true;
  }
}
