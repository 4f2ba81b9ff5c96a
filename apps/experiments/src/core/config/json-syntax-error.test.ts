import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { findJsonSyntaxError } from './json-syntax-error';

describe('findJsonSyntaxError', () => {
  test.each([
    ['{\n  "epochs": }', 2, 13, /expected a value/],
    ['{\n  "epochs": 2,\n}', 3, 1, /expected a key in double quotes, found "}"/],
    ['{\n  "epochs": 2\n  "trials": 1\n}', 3, 3, /expected ',' or '}' after a value in an object/],
    ['{"a": tru}', 1, 10, /expected 'true'/],
    ['{a: 1}', 1, 2, /expected a key in double quotes/],
    ['{"a": [1, 2}', 1, 12, /expected ',' or ']'/],
    ['{"a": "x', 1, 9, /closing '"' of a string, but the text ends/],
    ['{"a": 01}', 1, 8, /expected ',' or '}'/],
    ['', 1, 1, /expected a value.*but the text ends/],
    ['{} {}', 1, 4, /expected the end of the text/],
  ])('%j breaks at line %i, column %i', (text, line, column, problem) => {
    const found = findJsonSyntaxError(text);
    expect(found).toMatchObject({ line, column });
    expect(found!.problem).toMatch(problem);
  });

  fcTest.prop([fc.json()])('valid JSON has no syntax error', (text) => {
    expect(findJsonSyntaxError(text)).toBeNull();
  });

  fcTest.prop([
    fc.oneof(
      fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '1', '-', '.', 'e', 't', 'n', ' ', '\n', '\\', 'a') }),
      fc.json().map((j) => j.slice(0, -1)),
    ),
  ])('finds an error exactly when JSON.parse throws', (text) => {
    let parses = true;
    try {
      JSON.parse(text);
    } catch {
      parses = false;
    }
    expect(findJsonSyntaxError(text) === null).toBe(parses);
  });
});
