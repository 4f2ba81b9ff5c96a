import type { CliIo } from './cli-io';
import type { ExitCode } from './exit-codes';

/** Shared by the commands of one invocation: the environment, and the exit code an action sets. */
export interface CliContext {
  io: CliIo;
  /** The command-line arguments (after `curvad`). */
  args: readonly string[];
  exitCode: ExitCode;
  /** Exits the process at once (second Ctrl-C); tests replace it. */
  exitNow(code: ExitCode): void;
}
