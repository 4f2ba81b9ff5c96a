/** Where a JSON text first breaks the grammar, and what was expected there. */
export interface JsonSyntaxError {
  /** 1-based line and column of the offending character (or of the end of the text). */
  line: number;
  column: number;
  /** What the grammar wanted at that point, e.g. "',' or '}' after a value". */
  problem: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {}
}

/**
 * JSON.parse reports no position for some errors on Node 20 ("Unexpected token '}', ... is not
 * valid JSON"), so a config file's syntax error is located by this small scanner of the JSON
 * grammar (RFC 8259) instead. Returns null when the text is valid JSON.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let at = 0;
  const fail = (problem: string): never => {
    throw new Stop(at, at >= text.length ? `${problem}, but the text ends` : `${problem}, found ${JSON.stringify(text[at])}`);
  };
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (text[at] !== char) fail(`expected '${word}'`);
      at++;
    }
  };
  const digits = (what: string) => {
    if (!/[0-9]/.test(text[at] ?? '')) fail(`expected ${what}`);
    while (/[0-9]/.test(text[at] ?? '')) at++;
  };
  const number = () => {
    if (text[at] === '-') at++;
    if (text[at] === '0') at++;
    else digits('a digit');
    if (text[at] === '.') {
      at++;
      digits('a digit after the decimal point');
    }
    if (text[at] === 'e' || text[at] === 'E') {
      at++;
      if (text[at] === '+' || text[at] === '-') at++;
      digits('a digit in the exponent');
    }
  };
  const string = () => {
    at++; // the opening quote
    for (;;) {
      const char = text[at];
      if (char === undefined) fail("expected the closing '\"' of a string");
      if (char === '"') {
        at++;
        return;
      }
      if (char! < ' ') fail('expected no raw control character (such as a line break) inside a string');
      if (char === '\\') {
        at++;
        const escaped = text[at];
        if (escaped === 'u') {
          at++;
          for (let i = 0; i < 4; i++) {
            if (!/[0-9a-fA-F]/.test(text[at] ?? '')) fail('expected 4 hex digits after \\u');
            at++;
          }
          continue;
        }
        if (escaped === undefined || !'"\\/bfnrt'.includes(escaped))
          fail('expected a valid escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
      }
      at++;
    }
  };
  const value = (): void => {
    space();
    const char = text[at];
    if (char === '{') object();
    else if (char === '[') array();
    else if (char === '"') string();
    else if (char === 't') literal('true');
    else if (char === 'f') literal('false');
    else if (char === 'n') literal('null');
    else if (char === '-' || /[0-9]/.test(char ?? '')) number();
    else fail('expected a value (an object, array, string, number, true, false or null)');
  };
  const object = () => {
    at++;
    space();
    if (text[at] === '}') {
      at++;
      return;
    }
    for (;;) {
      space();
      if (text[at] !== '"') fail('expected a key in double quotes');
      string();
      space();
      if (text[at] !== ':') fail("expected ':' after the key");
      at++;
      value();
      space();
      if (text[at] === ',') {
        at++;
        continue;
      }
      if (text[at] === '}') {
        at++;
        return;
      }
      fail("expected ',' or '}' after a value in an object");
    }
  };
  const array = () => {
    at++;
    space();
    if (text[at] === ']') {
      at++;
      return;
    }
    for (;;) {
      value();
      space();
      if (text[at] === ',') {
        at++;
        continue;
      }
      if (text[at] === ']') {
        at++;
        return;
      }
      fail("expected ',' or ']' after a value in an array");
    }
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) at = 1;
    value();
    space();
    if (at < text.length) fail('expected the end of the text after the value');
    return null;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const before = text.slice(0, error.offset).split('\n');
    return { line: before.length, column: before[before.length - 1]!.length + 1, problem: error.problem };
  }
}
