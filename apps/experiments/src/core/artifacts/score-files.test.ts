import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { saveScores } from './score-files';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'curvad-scores-'));
  dirs.push(d);
  return d;
}

const sets = (v: number) => [
  { set: 'ID', scores: Float32Array.of(v, v + 1) },
  { set: 'MNIST', scores: Float32Array.of(v + 2) },
];

describe('saveScores', () => {
  // Two workers finishing units of one trial at once: a read-modify-write without a lock kept only one entry.
  it('keeps every method of a trial when many are saved at once, in an index that does not depend on the order', async () => {
    const methods = ['MSP', '+HiO', 'ODIN', '+SiT', 'Energy', 'KNN (k=50)', '+MiT', 'MaxLogit'];
    const a = await tempDir();
    await Promise.all(methods.map((m, i) => saveScores(a, 'all', 0, m, sets(i))));
    const b = await tempDir();
    for (const [i, m] of [...methods.entries()].reverse()) await saveScores(b, 'all', 0, m, sets(i));
    const indexA = await readFile(join(a, 'scores', 'all', 'trial-0', 'index.json'), 'utf8');
    const indexB = await readFile(join(b, 'scores', 'all', 'trial-0', 'index.json'), 'utf8');
    expect(Object.keys(JSON.parse(indexA))).toEqual([...methods].sort());
    expect(indexA).toBe(indexB);
    const bytes = await readFile(join(a, 'scores', 'all', 'trial-0', 'msp.f32'));
    const msp = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    expect(Array.from(msp)).toEqual([0, 1, 2]);
  });
});
