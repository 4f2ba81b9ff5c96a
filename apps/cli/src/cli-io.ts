import { guardClosedOutput } from './io/guard-closed-output';

/** A stream the CLI writes to; a TTY stream also has `isTTY` and `columns` (cli-progress uses them). */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Everything the CLI touches in its environment, so commands can run against fakes in tests. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  cwd: string;
  /** Draw progress bars (stderr is a terminal) rather than plain periodic lines. */
  interactive: boolean;
  now(): number;
}

/** The real process streams, each guarded so a closed pipe (`| head`) stops its output, not the run. */
export function processIo(): CliIo {
  return {
    stdout: guardClosedOutput(process.stdout),
    stderr: guardClosedOutput(process.stderr),
    cwd: process.cwd(),
    interactive: process.stderr.isTTY === true,
    now: () => Date.now(),
  };
}

export function writeLine(stream: OutputStream, line = ''): void {
  stream.write(`${line}\n`);
}
