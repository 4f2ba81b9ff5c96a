// MVTec AD through the patch-svdd task's loader (issue 17): the `mvtec` preset pointed at a tiny
// fixture in the official layout (bottle in RGB, grid in greyscale, 40x40 PNGs) and resized to 64.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError, recordFolder } from '@curvad/datasets';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError } from '../../../experiment-error';
import { type PatchSvddConfigInput, parsePatchSvddConfig } from '../config/patch-svdd-config';
import { patchSvddPresetInput } from '../config/presets';
import { loadPatchSvddData, type PatchSvddData } from './load-data';
import { boxMask, FIRST_TRAIN_COLOUR, type FixtureCategoryName, MVTEC_FIXTURE, writeMvtecFixture } from './mvtec-fixture';

const SIZE = 64;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'curvad-mvtec-fixture-'));
  await writeMvtecFixture(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The `mvtec` preset (all 15 categories, the paper's settings) with the fixture folder, SIZE and `mvtec` overrides. */
function mvtecConfig(mvtec: PatchSvddConfigInput['mvtec'] = {}, overrides: Partial<PatchSvddConfigInput> = {}) {
  return parsePatchSvddConfig({ ...patchSvddPresetInput('mvtec'), mvtec: { dir, size: SIZE, ...mvtec }, ...overrides }, 'test');
}

async function caught(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to throw, but it returned');
}

/** Per test image of `category` in reader order: 1 for a defect folder, 0 for good/. */
function expectedDefective(category: FixtureCategoryName): number[] {
  return MVTEC_FIXTURE[category].test.map((t) => (t.defect === 'good' ? 0 : 1));
}

function expectMasksMatchFixture(data: PatchSvddData, category: FixtureCategoryName): void {
  const px = SIZE * SIZE;
  for (const [i, image] of MVTEC_FIXTURE[category].test.entries()) {
    const mask = data.test.masks.subarray(i * px, (i + 1) * px);
    if ('box' in image)
      expect(Array.from(mask), `${category} test image ${i} (${image.defect})`).toEqual(Array.from(boxMask(image.box, SIZE)));
    else
      expect(
        mask.every((v) => v === 0),
        `${category} test image ${i} is good: an empty mask`,
      ).toBe(true);
  }
}

describe('loadPatchSvddData on MVTec AD (the mvtec preset over fixture files)', () => {
  test('bottle (RGB): counts, [n, 64, 64, 3], defective exactly for non-good images, masks the fixture boxes scaled by 64/40', async () => {
    const data = await loadPatchSvddData(mvtecConfig(), 'bottle');
    expect(data.category).toBe('bottle');
    expect(data.train.shape).toEqual([MVTEC_FIXTURE.bottle.train, SIZE, SIZE, 3]);
    expect(data.test.images.shape).toEqual([MVTEC_FIXTURE.bottle.test.length, SIZE, SIZE, 3]);
    expect(Array.from(data.test.defective)).toEqual([1, 1, 1, 0, 0]);
    expect(Array.from(data.test.defective)).toEqual(expectedDefective('bottle'));
    expect(data.test.masks.length).toBe(5 * SIZE * SIZE);
    expectMasksMatchFixture(data, 'bottle');
    // the first box, rows 5-20 x columns 10-25 of 40 px, is 24 x 24 pixels at 64 px
    expect(data.test.masks.subarray(0, SIZE * SIZE).reduce((a, b) => a + b, 0)).toBe(576);
    // the uniform first training image keeps its colour through the resize, channels in RGB order
    const first = data.train.images.subarray(0, SIZE * SIZE * 3);
    expect(first.every((v, k) => v === FIRST_TRAIN_COLOUR[k % 3])).toBe(true);
    // provenance: the category folder's images (train) and images + masks (test)
    expect(data.files.train).toEqual([
      await recordFolder(
        join(dir, 'bottle'),
        ['000', '001', '002', '003'].map((n) => join(dir, 'bottle', 'train', 'good', `${n}.png`)),
      ),
    ]);
    expect(data.files.test).toHaveLength(1);
    expect(data.files.test[0]!.path).toBe(join(dir, 'bottle'));
  });

  test('grid (greyscale PNGs) is read as 3 equal channels; its mask, 20 x 20 at 40 px, is 32 x 32 at 64 px', async () => {
    const data = await loadPatchSvddData(mvtecConfig({}, { categories: ['grid'] }), 'grid');
    expect(data.train.shape).toEqual([MVTEC_FIXTURE.grid.train, SIZE, SIZE, 3]);
    expect(data.test.images.shape).toEqual([3, SIZE, SIZE, 3]);
    for (const images of [data.train.images, data.test.images.images]) {
      let unequal = 0;
      for (let p = 0; p < images.length; p += 3) if (images[p] !== images[p + 1] || images[p] !== images[p + 2]) unequal++;
      expect(unequal).toBe(0);
    }
    expect(data.train.images.subarray(0, SIZE * SIZE * 3).every((v) => v === FIRST_TRAIN_COLOUR[0])).toBe(true);
    // not a constant image: the ramps survive the channel replication
    expect(new Set(data.train.images.subarray(SIZE * SIZE * 3)).size).toBeGreaterThan(50);
    expect(Array.from(data.test.defective)).toEqual([1, 0, 0]);
    expectMasksMatchFixture(data, 'grid');
    expect(data.test.masks.reduce((a, b) => a + b, 0)).toBe(32 * 32);
  });

  test('at the --quick size 128 the masks are still the boxes exactly (nearest neighbour, 0/1 only)', async () => {
    const data = await loadPatchSvddData(mvtecConfig({ size: 128 }), 'bottle');
    expect(data.train.shape).toEqual([4, 128, 128, 3]);
    const px = 128 * 128;
    for (const [i, image] of MVTEC_FIXTURE.bottle.test.entries()) {
      const expected = 'box' in image ? boxMask(image.box, 128) : new Uint8Array(px);
      expect(Array.from(data.test.masks.subarray(i * px, (i + 1) * px))).toEqual(Array.from(expected));
    }
  });

  test('mvtec.test keeps good and defective images (round-robin over the folders); mvtec.train the first files', async () => {
    // the first 3 test files in folder order are broken_large x2 and contamination: no good image,
    // and the image AUROC of such a set would fail
    const data = await loadPatchSvddData(mvtecConfig({ train: 2, test: 3 }), 'bottle');
    expect(data.train.shape[0]).toBe(2);
    expect(Array.from(data.test.defective)).toEqual([1, 1, 0]);
    const px = SIZE * SIZE;
    const [brokenLarge, , contamination] = MVTEC_FIXTURE.bottle.test;
    expect(Array.from(data.test.masks.subarray(0, px))).toEqual(Array.from(boxMask(brokenLarge.box, SIZE)));
    expect(Array.from(data.test.masks.subarray(px, 2 * px))).toEqual(Array.from(boxMask(contamination.box, SIZE)));
    expect(data.test.masks.subarray(2 * px).every((v) => v === 0)).toBe(true);
  });

  test('errors name what to fix: a missing mvtec.dir, a category absent from it, a name that is no MVTec category', async () => {
    const missing = join(dir, 'no-such-folder');
    const noDir = await caught(() => loadPatchSvddData(mvtecConfig({ dir: missing }), 'bottle'));
    expect(ConfigError.isInstance(noDir)).toBe(true);
    expect(noDir.message).toBe(
      `mvtec.dir: ${missing} is not a folder; set it to the extracted mvtec_anomaly_detection folder (the one holding bottle/, cable/, ...), e.g. --set mvtec.dir=PATH.`,
    );

    // cable is one of the preset's categories but not in the fixture folder
    const absent = await caught(() => loadPatchSvddData(mvtecConfig(), 'cable'));
    expect(DatasetError.isInstance(absent)).toBe(true);
    expect(absent.message).toContain(`no cable/train/good/ in ${join(dir, 'cable')}`);
    expect(absent.message).toContain('extract it there');

    // An unknown name is refused when the config is parsed, before any data is read ...
    const teapot = await caught(async () => mvtecConfig({}, { categories: ['bottle', 'teapot'] }));
    expect(ConfigError.isInstance(teapot)).toBe(true);
    expect(teapot.message).toMatch(/categories: \["teapot"\] not MVTec AD categories; choose from bottle, cable, capsule, .*, zipper\.$/);
    // ... and by the loader for a config that skipped validation.
    const unchecked = { ...mvtecConfig(), categories: ['bottle', 'teapot'] };
    const teapotLoad = await caught(() => loadPatchSvddData(unchecked, 'teapot'));
    expect(ConfigError.isInstance(teapotLoad)).toBe(true);
    expect(teapotLoad.message).toMatch(
      /^categories: 'teapot' is not an MVTec AD category; choose from bottle, cable, capsule, .*, zipper\.$/,
    );

    const unlisted = await caught(() => loadPatchSvddData(mvtecConfig({}, { categories: ['bottle'] }), 'grid'));
    expect(unlisted.message).toBe("patch-svdd: no category of this config is named 'grid'; its configurations are bottle.");
  });
});
