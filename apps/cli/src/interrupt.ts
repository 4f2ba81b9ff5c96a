/** Something that can receive SIGINT (process, or a fake in tests). */
export interface SignalSource {
  on(event: 'SIGINT', listener: () => void): unknown;
  off(event: 'SIGINT', listener: () => void): unknown;
}

export interface InterruptHandlers {
  /** First Ctrl-C: the run was asked to stop after its current step. */
  onFirst(): void;
  /** Second Ctrl-C: quit at once. */
  onSecond(): void;
}

/**
 * Ctrl-C handling for a long run: the first SIGINT aborts `controller` (the runner finishes the
 * current step, keeps the finished trials and writes results.json); a second one calls `onSecond`,
 * which exits at once. Returns the function that removes the handler.
 */
export function handleInterrupts(controller: AbortController, handlers: InterruptHandlers, source: SignalSource = process): () => void {
  const listener = () => {
    if (controller.signal.aborted) {
      handlers.onSecond();
      return;
    }
    controller.abort();
    handlers.onFirst();
  };
  source.on('SIGINT', listener);
  return () => {
    source.off('SIGINT', listener);
  };
}
