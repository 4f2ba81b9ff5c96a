import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { defaultOutDir, isoDay } from './default-out-dir';

const root = mkdtempSync(join(tmpdir(), 'curvad-cli-out-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('defaultOutDir', () => {
  const day = new Date(2026, 10, 9, 23, 59);

  test('results/<preset>[-quick]-<date> under the working folder', () => {
    expect(isoDay(day)).toBe('2026-11-09');
    expect(defaultOutDir(root, 'fmnist-mnist', false, day)).toBe(join(root, 'results', 'fmnist-mnist-2026-11-09'));
    expect(defaultOutDir(root, 'fmnist-mnist', true, day)).toBe(join(root, 'results', 'fmnist-mnist-quick-2026-11-09'));
  });

  test('never points at a folder that already holds a run', () => {
    const first = join(root, 'results', 'mnist-holdout-quick-2026-11-09');
    // An empty folder (a run that never wrote results) is reused.
    mkdirSync(first, { recursive: true });
    expect(defaultOutDir(root, 'mnist-holdout', true, day)).toBe(first);
    writeFileSync(join(first, 'results.json'), '{}');
    expect(defaultOutDir(root, 'mnist-holdout', true, day)).toBe(`${first}-2`);
    mkdirSync(`${first}-2`);
    writeFileSync(join(`${first}-2`, 'results.json'), '{}');
    expect(defaultOutDir(root, 'mnist-holdout', true, day)).toBe(`${first}-3`);
  });
});
