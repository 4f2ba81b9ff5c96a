import type { OutputStream } from '../cli-io';

/** What the guard wraps: process.stdout/stderr, or a fake with the same shape in tests. */
export interface WritableTarget {
  write(text: string, callback?: (error?: Error | null) => void): unknown;
  on?(event: 'error', listener: (error: Error) => void): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** An output stream that stops writing once its reader is gone. */
export interface GuardedOutput extends OutputStream {
  write(text: string, callback?: (error?: Error | null) => void): boolean;
  /** True after the stream failed (EPIPE: `| head` exited); later writes are dropped. */
  readonly closed: boolean;
}

/**
 * Wraps an output stream so a closed reader (`curvad ... | head -3`, a terminal that went away)
 * never stops the run: the first error on the stream (EPIPE, or any other, since an output-only
 * stream has no one left to tell) marks it closed and every later write is dropped. Without the
 * 'error' listener Node turns the stream's asynchronous EPIPE into an uncaught exception.
 */
export function guardClosedOutput(target: WritableTarget): GuardedOutput {
  let closed = false;
  target.on?.('error', () => {
    closed = true;
  });
  return {
    get closed() {
      return closed;
    },
    get isTTY() {
      return target.isTTY;
    },
    get columns() {
      return target.columns;
    },
    // cli-progress (through readline.cursorTo etc.) passes a callback as the second argument.
    write(text: string, callback?: (error?: Error | null) => void): boolean {
      if (closed) return true;
      try {
        target.write(text, callback);
      } catch {
        closed = true;
      }
      return true;
    },
  };
}
