import { DatasetError } from '@curvad/datasets';
import { CurvadRuntimeError } from '@curvad/runtime';
import { CommanderError } from 'commander';
import { describe, expect, test } from 'vitest';
import { BUG_REPORT_HINT, classifyError } from './classify-error';
import { CliError } from './cli-error';

/** What @curvad/experiments throws, marked the same way (global symbol) without loading tfjs here. */
const experimentError = (message: string) => Object.assign(new Error(message), { [Symbol.for('curvad.error.experiments')]: true });

describe('classifyError', () => {
  test('user mistakes: exit 2, the message alone, no stack', () => {
    const cases: Error[] = [
      new CliError('unknown preset x.'),
      new DatasetError('Fashion-MNIST train split not found.'),
      new CurvadRuntimeError('No usable tfjs backend.'),
      experimentError('results folder already holds a run.'),
      Object.assign(new Error('invalid experiment config'), { name: 'ConfigError' }),
    ];
    for (const error of cases) {
      const { code, text } = classifyError(error);
      expect(code).toBe(2);
      expect(text).toBe(`curvad: ${error.message}`);
      expect(text).not.toContain(' at ');
    }
  });

  test('commander errors: help is exit 0, a parse error exit 2, printed by commander', () => {
    expect(classifyError(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({ code: 0, text: '' });
    expect(classifyError(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"))).toEqual({ code: 2, text: '' });
  });

  test('anything else is a bug: exit 1 with the stack and a note to report it', () => {
    const error = new TypeError('cannot read properties of undefined');
    const { code, text } = classifyError(error);
    expect(code).toBe(1);
    expect(text).toContain(error.stack!);
    expect(text).toContain(BUG_REPORT_HINT);
    expect(classifyError('a string').text).toContain('a string');
  });
});
