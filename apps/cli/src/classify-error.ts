import { DatasetError } from '@curvad/datasets';
import { CurvadRuntimeError } from '@curvad/runtime';
import { CommanderError } from 'commander';
import { CliError } from './cli-error';
import { EXIT_CODES, type ExitCode } from './exit-codes';
import { fsErrorMessage } from './fs-error-message';

/** Where to report a crash. */
export const BUG_REPORT_HINT = 'This is a bug in curvad: please report it with the command you ran and the output above.';

// @curvad/experiments is imported lazily (it loads tfjs and vega), so its error classes are
// recognised by their marker symbol and name rather than by importing the classes here.
const EXPERIMENT_ERROR_MARKER = Symbol.for('curvad.error.experiments');
const USER_ERROR_NAMES = new Set(['ExperimentError', 'ConfigError']);

function isExperimentsUserError(error: unknown): error is Error {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as Record<symbol, unknown>)[EXPERIMENT_ERROR_MARKER] === true) return true;
  return error instanceof Error && USER_ERROR_NAMES.has(error.name);
}

export interface ClassifiedError {
  code: ExitCode;
  /** What to print on stderr; empty when commander already printed its message. */
  text: string;
}

/**
 * A user mistake or a machine problem (exit 2: a bad option, missing data, a folder that cannot be
 * written) gets its message alone; anything else is a bug (exit 1) and gets its stack with a note
 * to report it.
 */
export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof CommanderError) {
    // Commander has printed the message (or the help) already.
    return { code: error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage, text: '' };
  }
  if (
    CliError.isInstance(error) ||
    DatasetError.isInstance(error) ||
    CurvadRuntimeError.isInstance(error) ||
    isExperimentsUserError(error)
  ) {
    return { code: EXIT_CODES.usage, text: `curvad: ${(error as Error).message}` };
  }
  const fsMessage = fsErrorMessage(error);
  if (fsMessage) return { code: EXIT_CODES.usage, text: `curvad: ${fsMessage}` };
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return { code: EXIT_CODES.unexpected, text: `curvad: unexpected error\n${detail}\n\n${BUG_REPORT_HINT}` };
}
