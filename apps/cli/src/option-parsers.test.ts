import { InvalidArgumentError } from 'commander';
import { describe, expect, test } from 'vitest';
import { positiveInteger } from './option-parsers';

describe('positiveInteger', () => {
  const parse = positiveInteger('--trials', 3);

  test('accepts whole numbers of at least 1', () => {
    expect(parse('1')).toBe(1);
    expect(parse('12')).toBe(12);
    expect(parse(' 5 ')).toBe(5);
  });

  test.each(['0', '-1', '2.5', 'abc', '', '1e3', '0x10', '3 trials', '99999999999999999999'])(
    'rejects %j with the flag and an example',
    (value) => {
      expect(() => parse(value)).toThrow(InvalidArgumentError);
      expect(() => parse(value)).toThrow('--trials must be a whole number of at least 1 (e.g. --trials 3).');
    },
  );
});
