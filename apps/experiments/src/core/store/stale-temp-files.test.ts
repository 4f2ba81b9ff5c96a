import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { processAlive, removeStaleTempFiles } from './stale-temp-files';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'curvad-stale-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

test('processAlive: this process is, a finished child is not', () => {
  expect(processAlive(process.pid)).toBe(true);
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(processAlive(child.pid!)).toBe(false);
});

test("removes the temporary files of dead writers at any depth, keeps live writers' and ordinary files", async () => {
  await mkdir(join(root, 'scores', 'trial-0'), { recursive: true });
  const dead = 2 ** 22 + 1; // above Linux's largest pid_max (2^22): never a live process
  const stale = [
    join(root, `results.json.tmp-${dead}`),
    join(root, 'scores', 'trial-0', `msp.f32.tmp-${dead}`),
    join(root, 'scores', `weights.bin.tmp-${dead}-x7f3`),
  ];
  const kept = [join(root, `results.json.tmp-${process.pid}`), join(root, 'results.json'), join(root, 'notes.tmp-backup')];
  for (const f of [...stale, ...kept]) await writeFile(f, 'x');
  expect((await removeStaleTempFiles(root)).sort()).toEqual([...stale].sort());
  for (const f of stale) expect(existsSync(f)).toBe(false);
  for (const f of kept) expect(existsSync(f)).toBe(true);
});
