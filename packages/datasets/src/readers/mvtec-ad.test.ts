import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { recordFolder } from '../file-records.js';
import { caught, useTempDir } from '../test-support/temp-dir.js';
import { patternImage, writePng } from '../test-support/write-images.js';
import { mvtecAd } from './mvtec-ad.js';

const tempDir = useTempDir();
const SIDE = 16;

/** A 0/255 mask with a filled rectangle [y0, y1) x [x0, x1). */
function rectMask(y0: number, y1: number, x0: number, x1: number): Uint8Array {
  const m = new Uint8Array(SIDE * SIDE);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m[y * SIDE + x] = 255;
  return m;
}

async function writeCategory(root: string, withMasks = true): Promise<void> {
  const cat = join(root, 'mvtec_anomaly_detection', 'bottle');
  await writePng(join(cat, 'train', 'good', '000.png'), patternImage(SIDE, SIDE, 3, 1), SIDE, SIDE, 3);
  await writePng(join(cat, 'train', 'good', '001.png'), patternImage(SIDE, SIDE, 3, 2), SIDE, SIDE, 3);
  await writePng(join(cat, 'test', 'good', '000.png'), patternImage(SIDE, SIDE, 3, 3), SIDE, SIDE, 3);
  await writePng(join(cat, 'test', 'broken_large', '000.png'), patternImage(SIDE, SIDE, 3, 4), SIDE, SIDE, 3);
  await writePng(join(cat, 'test', 'contamination', '000.png'), patternImage(SIDE, SIDE, 3, 5), SIDE, SIDE, 3);
  if (withMasks) {
    await writePng(join(cat, 'ground_truth', 'broken_large', '000_mask.png'), rectMask(2, 5, 3, 9), SIDE, SIDE, 1);
    await writePng(join(cat, 'ground_truth', 'contamination', '000_mask.png'), rectMask(10, 16, 0, 1), SIDE, SIDE, 1);
  }
}

describe('mvtecAd', () => {
  it('reads train/good only for train', async () => {
    const root = tempDir();
    await writeCategory(root);
    const train = await mvtecAd({ category: 'bottle', split: 'train', dir: root });
    expect(train.shape).toEqual([2, SIDE, SIDE, 3]);
    expect(Array.from(train.labels)).toEqual([0, 0]);
    expect(train.masks.every((v) => v === 0)).toBe(true);
    expect(Array.from(train.images.subarray(0, SIDE * SIDE * 3))).toEqual(Array.from(patternImage(SIDE, SIDE, 3, 1)));
  });

  it('reads test defects with labels, defect types and masks matching ground_truth/<defect>/<name>_mask.png', async () => {
    const root = tempDir();
    await writeCategory(root);
    const test = await mvtecAd({ category: 'bottle', split: 'test', dir: join(root, 'mvtec_anomaly_detection') });
    expect(test.defectTypes).toEqual(['broken_large', 'contamination', 'good']);
    expect(Array.from(test.labels)).toEqual([1, 1, 0]);
    const px = SIDE * SIDE;
    expect(Array.from(test.masks.subarray(0, px))).toEqual(Array.from(rectMask(2, 5, 3, 9), (v) => v / 255));
    expect(Array.from(test.masks.subarray(px, 2 * px))).toEqual(Array.from(rectMask(10, 16, 0, 1), (v) => v / 255));
    expect(test.masks.subarray(2 * px).every((v) => v === 0)).toBe(true);
    // provenance: one record for the category, over the 3 images and the 2 masks read
    const category = join(root, 'mvtec_anomaly_detection', 'bottle');
    expect(test.sourceFiles).toEqual([
      await recordFolder(category, [
        ...test.files,
        ...['broken_large', 'contamination'].map((d) => join(category, 'ground_truth', d, '000_mask.png')),
      ]),
    ]);
  });

  it('resizes masks with nearest neighbour (values stay 0/1, the rectangle scales)', async () => {
    const root = tempDir();
    await writeCategory(root);
    const test = await mvtecAd({ category: 'bottle', split: 'test', dir: root, size: 8 });
    expect(test.shape).toEqual([3, 8, 8, 3]);
    const first = test.masks.subarray(0, 64);
    expect(first.every((v) => v === 0 || v === 1)).toBe(true);
    const count = first.reduce((a, b) => a + b, 0);
    // 3 x 6 pixels at 16 px is about 1.5 x 3 at 8 px
    expect(count).toBeGreaterThanOrEqual(2);
    expect(count).toBeLessThanOrEqual(8);
  });

  it('limit takes images round-robin over the defect folders and good/, returned in folder order', async () => {
    const root = tempDir();
    await writeCategory(root);
    const cat = join(root, 'mvtec_anomaly_detection', 'bottle');
    for (const name of ['001', '002']) {
      await writePng(join(cat, 'test', 'broken_large', `${name}.png`), patternImage(SIDE, SIDE, 3, 6), SIDE, SIDE, 3);
      await writePng(join(cat, 'ground_truth', 'broken_large', `${name}_mask.png`), rectMask(0, 4, 0, 4), SIDE, SIDE, 1);
    }
    await writePng(join(cat, 'test', 'good', '001.png'), patternImage(SIDE, SIDE, 3, 7), SIDE, SIDE, 3);
    // the first 3 files in folder order would be broken_large/000-002: no good image, one defect type
    const three = await mvtecAd({ category: 'bottle', split: 'test', dir: root, limit: 3 });
    expect(three.defectTypes).toEqual(['broken_large', 'contamination', 'good']);
    expect(Array.from(three.labels)).toEqual([1, 1, 0]);
    const five = await mvtecAd({ category: 'bottle', split: 'test', dir: root, limit: 5 });
    expect(five.files.map((f) => f.slice(cat.length + 1))).toEqual(
      ['broken_large/000.png', 'broken_large/001.png', 'contamination/000.png', 'good/000.png', 'good/001.png'].map((f) => join('test', f)),
    );
    // the masks follow their images: broken_large/001's rectangle, good/000's empty mask
    const px = SIDE * SIDE;
    expect(Array.from(five.masks.subarray(px, 2 * px))).toEqual(Array.from(rectMask(0, 4, 0, 4), (v) => v / 255));
    expect(five.masks.subarray(3 * px).every((v) => v === 0)).toBe(true);
    const train = await mvtecAd({ category: 'bottle', split: 'train', dir: root, limit: 1 });
    expect(train.files.map((f) => f.slice(cat.length + 1))).toEqual([join('train', 'good', '000.png')]);
  });

  it('names a missing mask and a missing category', async () => {
    const root = tempDir();
    await writeCategory(root, false);
    const e = await caught(() => mvtecAd({ category: 'bottle', split: 'test', dir: root }));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain(join('ground_truth', 'broken_large', '000_mask.png'));
    await expect(mvtecAd({ category: 'cable', split: 'train', dir: root })).rejects.toThrow(/no cable\/train\/good/);
    await expect(mvtecAd({ category: 'teapot' as 'cable', split: 'train', dir: root })).rejects.toThrow(/unknown category/);
  });
});
