import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { BarReporter } from '../progress/bar-reporter';
import { PlainReporter } from '../progress/plain-reporter';
import { guardClosedOutput } from './guard-closed-output';

/** A stream whose reader goes away: after `closeReader()` a write fails with EPIPE, reported as an 'error' event on the next tick (as Node does for a pipe). */
function pipeToHead() {
  const emitter = new EventEmitter();
  let readerGone = false;
  const received: string[] = [];
  const stream = Object.assign(emitter, {
    isTTY: false as boolean | undefined,
    write(text: string) {
      if (readerGone) {
        process.nextTick(() =>
          emitter.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write', errno: -32 })),
        );
        return false;
      }
      received.push(text);
      return true;
    },
  });
  return { stream, received, closeReader: () => (readerGone = true) };
}

const tick = () => new Promise((resolve) => process.nextTick(resolve));

describe('guardClosedOutput', () => {
  test('an EPIPE on the stream is not thrown, marks it closed, and later writes are dropped', async () => {
    const { stream, received, closeReader } = pipeToHead();
    const output = guardClosedOutput(stream);
    output.write('line 1\n');
    closeReader();
    output.write('line 2\n');
    // Unguarded, this 'error' event has no listener and EventEmitter throws it (the uncaught `write EPIPE`).
    await tick();
    expect(output.closed).toBe(true);
    let writesAfter = 0;
    stream.write = () => {
      writesAfter++;
      return true;
    };
    output.write('line 3\n');
    expect(writesAfter).toBe(0);
    expect(received).toEqual(['line 1\n']);
  });

  test('a write that throws synchronously (a destroyed stream) closes the output instead of propagating', () => {
    const output = guardClosedOutput({
      write() {
        throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
      },
    });
    expect(() => output.write('x')).not.toThrow();
    expect(output.closed).toBe(true);
  });

  test('passes isTTY, columns and the write callback through (cli-progress and readline use them)', () => {
    const calls: unknown[][] = [];
    const output = guardClosedOutput({ isTTY: true, columns: 123, write: (...args: unknown[]) => calls.push(args) });
    const callback = () => {};
    output.write('\x1B[2K', callback);
    expect(output.isTTY).toBe(true);
    expect(output.columns).toBe(123);
    expect(calls).toEqual([['\x1B[2K', callback]]);
  });

  test('the progress reporters keep going on a closed stream: plain lines and cli-progress bars', async () => {
    for (const make of [
      (s: ReturnType<typeof guardClosedOutput>) => new PlainReporter(s, () => 0, 0),
      (s: ReturnType<typeof guardClosedOutput>) => new BarReporter(s),
    ]) {
      const { stream, received, closeReader } = pipeToHead();
      stream.isTTY = true;
      const output = guardClosedOutput(stream);
      const reporter = make(output);
      reporter.onTrialStart('holdout', 0, 1, 0);
      closeReader();
      reporter.onModelStart('baseline', 0, 1);
      reporter.onEpochStart(0, 1, 3);
      await tick();
      for (let step = 0; step < 3; step++) reporter.onStep(step, 3, 0.5);
      reporter.onEpochEnd(0, 0.5);
      reporter.log('after the reader left');
      // cli-progress redraws on a timer: one more frame after the stream closed.
      await new Promise((resolve) => setTimeout(resolve, 250));
      reporter.stop();
      expect(output.closed).toBe(true);
      expect(received.join('')).toContain('holdout: trial 1 of 1');
      expect(received.join('')).not.toContain('after the reader left');
    }
  });
});
