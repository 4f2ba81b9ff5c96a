import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_ENV_VAR } from '../data-locations.js';
import { DatasetError } from '../errors.js';
import { recordFolder } from '../file-records.js';
import { caught, useTempDir } from '../test-support/temp-dir.js';
import { patternImage, writePng } from '../test-support/write-images.js';
import { STREET_HAZARDS_ANOMALY_CLASS, streetHazards } from './street-hazards.js';

const tempDir = useTempDir();
const H = 6;
const W = 10;

/** Annotation ids as stored (class + 1): road (8) everywhere, a car (11) block, and `anomaly` pixels (14). */
function annotation(anomalyPixels: number[]): Uint8Array {
  const a = new Uint8Array(H * W).fill(8);
  for (let p = 0; p < 8; p++) a[p] = 11;
  for (const p of anomalyPixels) a[p] = 14;
  return a;
}

async function writeScene(
  root: string,
  top: string,
  sub: string,
  town: string,
  name: string,
  ann: Uint8Array,
  seed: number,
): Promise<void> {
  await writePng(join(root, top, 'images', sub, town, name), patternImage(H, W, 3, seed), H, W, 3);
  await writePng(join(root, top, 'annotations', sub, town, name), ann, H, W, 1);
}

describe('streetHazards', () => {
  it('reads test scenes with zero-based class maps and the anomaly mask', async () => {
    const root = tempDir();
    await writeScene(root, 'test', 'test', 't5', '300.png', annotation([20, 21, 30]), 1);
    await writeScene(root, 'test', 'test', 't6', '000.png', annotation([]), 2);
    const set = await streetHazards({ split: 'test', dir: root });
    expect(set.shape).toEqual([2, H, W, 3]);
    // provenance: one record for test/, over the 2 scenes and their 2 annotations
    expect(set.sourceFiles).toEqual([
      await recordFolder(join(root, 'test'), [
        ...set.files,
        ...set.files.map((f) => f.replace(`${join('test', 'images')}`, join('test', 'annotations'))),
      ]),
    ]);
    expect(Array.from(set.labels)).toEqual([1, 0]);
    expect(set.classMaps[0]).toBe(10); // car
    expect(set.classMaps[50]).toBe(7); // road
    expect(set.classMaps[20]).toBe(STREET_HAZARDS_ANOMALY_CLASS);
    const mask = Array.from(set.masks.subarray(0, H * W));
    expect(mask.flatMap((v, p) => (v ? [p] : []))).toEqual([20, 21, 30]);
    expect(set.masks.subarray(H * W).every((v) => v === 0)).toBe(true);
    expect(Array.from(set.images.subarray(0, H * W * 3))).toEqual(Array.from(patternImage(H, W, 3, 1)));
    expect(set.classNames?.[STREET_HAZARDS_ANOMALY_CLASS]).toBe('anomaly');
  });

  it('finds training and validation scenes under train/', async () => {
    const root = tempDir();
    await writeScene(root, 'train', 'training', 't1', 'a.png', annotation([]), 3);
    await writeScene(root, 'train', 'validation', 't4', 'b.png', annotation([]), 4);
    expect((await streetHazards({ split: 'train', dir: root })).shape[0]).toBe(1);
    expect((await streetHazards({ split: 'validation', dir: root })).shape[0]).toBe(1);
  });

  it('reads every split from one folder: a root holding train/ but not test/ is refused for test, even with a test/ further down the search (issue 12, defect 7)', async () => {
    const data = tempDir();
    const cache = tempDir();
    const saved = { data: process.env[DATA_ENV_VAR], xdg: process.env.XDG_CACHE_HOME };
    process.env[DATA_ENV_VAR] = data;
    process.env.XDG_CACHE_HOME = cache;
    try {
      await writeScene(join(data, 'street-hazards'), 'train', 'training', 't1', 'a.png', annotation([]), 3);
      await writeScene(join(cache, 'curvad', 'street-hazards'), 'test', 'test', 't5', 'a.png', annotation([]), 1);
      const e = await caught(() => streetHazards({ split: 'test' }));
      expect(DatasetError.isInstance(e)).toBe(true);
      expect(e.message).toContain(`${join(data, 'street-hazards')} holds part of the dataset but no test/images/test/`);
    } finally {
      for (const [key, value] of [
        [DATA_ENV_VAR, saved.data],
        ['XDG_CACHE_HOME', saved.xdg],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('resizes label maps with nearest neighbour (no invented ids)', async () => {
    const root = tempDir();
    await writeScene(root, 'test', 'test', 't5', 'a.png', annotation([20, 21, 30, 31]), 1);
    const set = await streetHazards({ split: 'test', dir: root, size: [3, 5] });
    expect(set.shape).toEqual([1, 3, 5, 3]);
    expect(set.classMaps.every((v) => v === 7 || v === 10 || v === 13)).toBe(true);
  });

  it('rejects an id above 14 and a missing annotation, naming the file', async () => {
    const root = tempDir();
    const bad = annotation([]);
    bad[3] = 40;
    await writeScene(root, 'test', 'test', 't5', 'a.png', bad, 1);
    let e = await caught(() => streetHazards({ split: 'test', dir: root }));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain(join('annotations', 'test', 't5', 'a.png'));
    expect(e.message).toMatch(/id 40, expected 1\.\.14/);
    await writePng(join(root, 'test', 'images', 'test', 't5', 'b.png'), patternImage(H, W, 3, 0), H, W, 3);
    e = await caught(() => streetHazards({ split: 'test', dir: root }));
    expect(e.message).toContain(join('annotations', 'test', 't5', 'b.png'));
    expect(e.message).toMatch(/missing annotation/);
    const empty = tempDir();
    await expect(streetHazards({ split: 'test', dir: empty })).rejects.toThrow(/streethazards_test\.tar/);
  });
});
