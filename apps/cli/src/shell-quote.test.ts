import { describe, expect, test } from 'vitest';
import { commandLine, shellQuote } from './shell-quote';

describe('shellQuote', () => {
  test('leaves plain arguments alone and quotes the rest so a shell gives them back', () => {
    expect(shellQuote('results/fmnist-mnist-2026-11-29')).toBe('results/fmnist-mnist-2026-11-29');
    expect(shellQuote('my results')).toBe("'my results'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
    expect(commandLine(['curvad', 'report', 'a b'])).toBe("curvad report 'a b'");
  });
});
