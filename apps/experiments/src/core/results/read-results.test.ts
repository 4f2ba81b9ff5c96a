import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ExperimentError } from '../../experiment-error';
import { resultsFixture } from '../report/results-fixture';
import { readResultsFile } from './read-results';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'curvad-read-results-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function write(name: string, content: unknown): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'results.json');
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function refusal(path: string, options = {}): Promise<string> {
  const error = await readResultsFile(path, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(ExperimentError.isInstance(error), String(error)).toBe(true);
  return (error as Error).message;
}

describe('readResultsFile', () => {
  test('the fixture reads back as written', async () => {
    const path = await write('ok', resultsFixture());
    expect((await readResultsFile(path, { requireCompletedTrial: true })).experiment).toBe('fixture');
  });

  test('an AUROC of 7.5 (a percentage) is refused, naming configuration, trial, method, OOD set, field, value and range', async () => {
    const results = resultsFixture();
    results.configurations[0]!.trials[1]!.methods[1]!.perOod.B!.auroc = 7.5;
    const message = await refusal(await write('percent', results));
    expect(message).toContain('configuration "main", trial 1, method "+HiO", OOD set "B", auroc: is 7.5, outside the allowed range [0, 1]');
    expect(message).toContain('0.75 means 75%');
  });

  test('a negative ID accuracy names the model', async () => {
    const results = resultsFixture();
    results.configurations[0]!.trials[0]!.idAccuracy.HiO = -0.1;
    expect(await refusal(await write('negative', results))).toContain(
      'trial 0, ID accuracy of model "HiO": is -0.1, outside the allowed range [0, 1]',
    );
  });

  test('a ROC plot whose arrays do not pair up is refused (the plot would be drawn wrong)', async () => {
    const results = resultsFixture();
    results.configurations[0]!.trials[0]!.plots!.roc[0]!.tpr.pop();
    expect(await refusal(await write('roc', results))).toContain('ROC plot of "MSP" vs "A": has 3 FPR values and 2 TPR values');
  });

  test('no completed trial: refused for a report, with the failed trials and the resume step', async () => {
    const results = resultsFixture();
    results.configurations[0]!.trials = results.configurations[0]!.trials.filter((t) => t.status === 'failed');
    const path = await write('none', results);
    // Reading it for a resume is fine: it is a valid, unfinished run.
    await expect(readResultsFile(path)).resolves.toBeDefined();
    const message = await refusal(path, { requireCompletedTrial: true });
    expect(message).toContain('holds no completed trial (configuration "main": 1 failed (first: trial 2: "boom"))');
    expect(message).toContain('nothing to report');
    expect(message).toContain('--resume');
  });

  test('no trial at all: refused for a report', async () => {
    const results = resultsFixture();
    results.configurations[0]!.trials = [];
    expect(await refusal(await write('empty', results), { requireCompletedTrial: true })).toContain(
      'configuration "main": no trial recorded',
    );
  });

  test('a truncated file: the step is a resume that rebuilds results.json from the saved units', async () => {
    const path = await write('truncated', JSON.stringify(resultsFixture()).slice(0, 200));
    const message = await refusal(path);
    expect(message).toContain('is not valid JSON');
    expect(message).toContain(
      `rerun the same command with --resume: the finished (trial, model) units saved under ${join(root, 'truncated', 'units')} are kept and results.json is rebuilt from them`,
    );
  });

  test('a missing file says to run an experiment, or to resume when units are there', async () => {
    await mkdir(join(root, 'missing'), { recursive: true });
    expect(await refusal(join(root, 'missing', 'results.json'))).toContain('run an experiment first');
    await mkdir(join(root, 'units-only', 'units'), { recursive: true });
    expect(await refusal(join(root, 'units-only', 'results.json'))).toContain('rerun the same command with --resume');
  });
});
