import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readSavedProgress, stoppedAtOnceMessage } from './saved-progress';

const root = mkdtempSync(join(tmpdir(), 'curvad-saved-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const commands = { resume: 'npx curvad experiment ood --preset p --resume --out r', restart: 'npx curvad experiment ood --preset p --out r' };

describe('the second Ctrl-C message names what exists and a command that works', () => {
  test('nothing saved yet: says so and gives the same run again (a --resume would be refused)', () => {
    const progress = readSavedProgress(join(root, 'none', 'results.json'));
    expect(progress).toEqual({ saved: false, completedTrials: 0 });
    const message = stoppedAtOnceMessage(progress, 'r/results.json', 5, commands);
    expect(message).toBe('Stopped at once, before anything was saved (no r/results.json yet). Start the run again with:\n  npx curvad experiment ood --preset p --out r');
    expect(message).not.toContain('--resume');
  });

  test('a results.json with finished trials: how many, and the resume command', () => {
    const path = join(root, 'results.json');
    writeFileSync(path, JSON.stringify({ configurations: [{ trials: [{ status: 'completed' }, { status: 'failed' }] }, { trials: [{ status: 'completed' }] }] }));
    const progress = readSavedProgress(path);
    expect(progress).toEqual({ saved: true, completedTrials: 2 });
    expect(stoppedAtOnceMessage(progress, 'r/results.json', 6, commands)).toBe(
      'Stopped at once. r/results.json holds 2 of 6 trials, finished and saved before this Ctrl-C; continue with:\n  npx curvad experiment ood --preset p --resume --out r',
    );
  });
});
