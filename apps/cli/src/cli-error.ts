const MARKER = Symbol.for('curvad.error.cli');

/**
 * A mistake on the command line that the user can fix (a bad option value, an unknown name, a
 * missing folder). The message says what was wrong and what to do; it is printed without a stack.
 */
export class CliError extends Error {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads the marker through a symbol-keyed cast, the one check that works across duplicate package copies
  private readonly [MARKER] = true;

  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }

  static isInstance(error: unknown): error is CliError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
