import { describe, expect, test } from 'vitest';
import { formatDuration } from './format-duration';

describe('formatDuration', () => {
  test('seconds, minutes and hours', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59.4)).toBe('59 s');
    expect(formatDuration(59.6)).toBe('1 min 00 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3600)).toBe('1 h 00 min');
    expect(formatDuration(3 * 3600 + 7 * 60 + 20)).toBe('3 h 07 min');
  });

  test('unknown durations print as ?', () => {
    expect(formatDuration(Number.NaN)).toBe('?');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
    expect(formatDuration(-1)).toBe('?');
  });
});
