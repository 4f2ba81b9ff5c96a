import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readSavedProgress, savedSummary, stoppedAtOnceMessage } from './saved-progress';

const root = mkdtempSync(join(tmpdir(), 'curvad-saved-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const commands = {
  resume: 'npx curvad experiment ood --preset p --resume --out r',
  restart: 'npx curvad experiment ood --preset p --out r',
};

describe('the second Ctrl-C message names what exists and a command that works', () => {
  test('nothing saved yet: says so and gives the same run again (a --resume would be refused)', () => {
    const dir = join(root, 'none');
    const progress = readSavedProgress(join(dir, 'results.json'), join(dir, 'units'));
    expect(progress).toEqual({ saved: false, completedTrials: 0 });
    const message = stoppedAtOnceMessage(progress, { done: 0, total: 7 }, { outDir: 'r', totalTrials: 5 }, commands);
    expect(message).toBe(
      'Stopped at once, before anything was saved in r. Start the run again with:\n  npx curvad experiment ood --preset p --out r',
    );
    expect(message).not.toContain('--resume');
  });

  test('a results.json with finished trials: how many, the models when counted, and the resume command', () => {
    const path = join(root, 'results.json');
    writeFileSync(
      path,
      JSON.stringify({
        configurations: [{ trials: [{ status: 'completed' }, { status: 'failed' }] }, { trials: [{ status: 'completed' }] }],
      }),
    );
    const progress = readSavedProgress(path, join(root, 'units'));
    expect(progress).toEqual({ saved: true, completedTrials: 2 });
    expect(stoppedAtOnceMessage(progress, { done: 16, total: 42 }, { outDir: 'r', totalTrials: 6 }, commands)).toBe(
      'Stopped at once. Saved in r before this Ctrl-C: 2 of 6 trials (16 of 42 models); --resume keeps them and runs the rest:\n  npx curvad experiment ood --preset p --resume --out r',
    );
  });

  test('finished models but no results.json (it is rebuilt from units/): saved, resume', () => {
    const dir = join(root, 'units-only');
    mkdirSync(join(dir, 'units'), { recursive: true });
    const progress = readSavedProgress(join(dir, 'results.json'), join(dir, 'units'));
    expect(progress).toEqual({ saved: true, completedTrials: 0 });
    expect(stoppedAtOnceMessage(progress, null, { outDir: 'r', totalTrials: 1 }, commands)).toContain('0 of 1 trials; --resume keeps them');
  });

  test('the summary without model counts', () => {
    expect(savedSummary(1, 3, null)).toBe('1 of 3 trials');
  });
});
