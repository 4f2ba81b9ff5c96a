import { classifyError } from './classify-error';
import type { CliContext } from './cli-context';
import type { CliIo } from './cli-io';
import { writeLine } from './cli-io';
import { EXIT_CODES, type ExitCode } from './exit-codes';
import { createProgram } from './program';

/**
 * Runs `curvad <args>` and returns the exit code: 0 done, 1 unexpected error, 2 user mistake,
 * 3 some trials failed, 130 interrupted. Only a second Ctrl-C calls `exitNow` directly.
 */
export async function runCli(
  args: readonly string[],
  io: CliIo,
  exitNow: (code: ExitCode) => void = (code) => process.exit(code),
): Promise<ExitCode> {
  const context: CliContext = { io, args, exitCode: EXIT_CODES.ok, exitNow };
  const program = createProgram(context);
  try {
    if (args.length === 0) {
      program.outputHelp({ error: true });
      return EXIT_CODES.usage;
    }
    await program.parseAsync([...args], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    const { code, text } = classifyError(error);
    if (text) writeLine(io.stderr, text);
    return code;
  }
}
