import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { handleInterrupts } from './interrupt';

describe('handleInterrupts', () => {
  test('first Ctrl-C aborts the run, the second quits, and the handler can be removed', () => {
    const source = new EventEmitter();
    const controller = new AbortController();
    const calls: string[] = [];
    const remove = handleInterrupts(controller, { onFirst: () => calls.push('first'), onSecond: () => calls.push('second') }, source);
    expect(source.listenerCount('SIGINT')).toBe(1);
    expect(controller.signal.aborted).toBe(false);
    source.emit('SIGINT');
    expect(controller.signal.aborted).toBe(true);
    expect(calls).toEqual(['first']);
    source.emit('SIGINT');
    expect(calls).toEqual(['first', 'second']);
    remove();
    expect(source.listenerCount('SIGINT')).toBe(0);
  });
});
