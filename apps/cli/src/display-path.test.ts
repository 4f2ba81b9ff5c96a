import { describe, expect, test } from 'vitest';
import { displayPath } from './display-path';

describe('displayPath', () => {
  test('relative inside the working folder, absolute outside it', () => {
    expect(displayPath('/home/u/curvad', '/home/u/curvad/results/run')).toBe('results/run');
    expect(displayPath('/home/u/curvad', '/home/u/curvad')).toBe('.');
    expect(displayPath('/home/u/curvad', '/tmp/run')).toBe('/tmp/run');
    expect(displayPath('/home/u/curvad', '/home/u/other')).toBe('/home/u/other');
  });
});
