import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { recordFolder } from '../file-records.js';
import { caught, useTempDir } from '../test-support/temp-dir.js';
import { patternImage, smoothImage, writeJpeg, writePng } from '../test-support/write-images.js';
import { decodeImage } from './decode-image.js';
import { readImageFolder } from './image-folder.js';
import { odinOodSet } from './odin-ood-sets.js';
import { tinyImageNet } from './tiny-imagenet.js';

const tempDir = useTempDir();

describe('decodeImage', () => {
  it('decodes PNG losslessly, grey to RGB and RGB to luma', async () => {
    const dir = tempDir();
    const rgb = patternImage(5, 7, 3, 11);
    await writePng(join(dir, 'a.png'), rgb, 5, 7, 3);
    const img = await decodeImage(join(dir, 'a.png'));
    expect([img.height, img.width, img.channels]).toEqual([5, 7, 3]);
    expect(Array.from(img.data)).toEqual(Array.from(rgb));
    const grey = patternImage(4, 4, 1, 3);
    await writePng(join(dir, 'g.png'), grey, 4, 4, 1);
    const asRgb = await decodeImage(join(dir, 'g.png'));
    expect(asRgb.channels).toBe(3);
    expect(Array.from(asRgb.data.filter((_, i) => i % 3 === 1))).toEqual(Array.from(grey));
    const luma = await decodeImage(join(dir, 'g.png'), { channels: 1 });
    expect(Array.from(luma.data)).toEqual(Array.from(grey));
  });

  it('crops exactly at the given offset and resizes to the requested size', async () => {
    const dir = tempDir();
    const rgb = patternImage(10, 12, 3, 0);
    await writePng(join(dir, 'a.png'), rgb, 10, 12, 3);
    const crop = await decodeImage(join(dir, 'a.png'), { size: [3, 4], fit: 'crop', cropOffset: [2, 5] });
    for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) expect(crop.data[(y * 4 + x) * 3]).toBe(rgb[((y + 2) * 12 + x + 5) * 3]);
    const small = await decodeImage(join(dir, 'a.png'), { size: 4, fit: 'resize' });
    expect([small.height, small.width]).toEqual([4, 4]);
    const centre = await decodeImage(join(dir, 'a.png'), { size: 5, fit: 'center-crop' });
    expect([centre.height, centre.width]).toEqual([5, 5]);
  });

  it('names a corrupt image file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.png'), Buffer.from('\x89PNG\r\n\x1a\nnot really a png'));
    const e = await caught(() => decodeImage(join(dir, 'bad.png')));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain(join(dir, 'bad.png'));
  });
});

describe('readImageFolder', () => {
  it('labels by sorted subfolder and reads files in sorted order', async () => {
    const dir = tempDir();
    await writePng(join(dir, 'zebra', 'b.png'), patternImage(6, 6, 3, 1), 6, 6, 3);
    await writePng(join(dir, 'zebra', 'a.png'), patternImage(6, 6, 3, 2), 6, 6, 3);
    await writePng(join(dir, 'apple', 'c.png'), patternImage(6, 6, 3, 3), 6, 6, 3);
    writeFileSync(join(dir, 'apple', 'notes.txt'), 'not an image');
    const set = await readImageFolder(dir);
    expect(set.classNames).toEqual(['apple', 'zebra']);
    expect(set.shape).toEqual([3, 6, 6, 3]);
    expect(Array.from(set.labels)).toEqual([0, 1, 1]);
    expect(Array.from(set.images.subarray(108, 216))).toEqual(Array.from(patternImage(6, 6, 3, 2)));
    // provenance: one record for the folder, over the three images read (not notes.txt)
    expect(set.sourceFiles).toEqual([
      await recordFolder(dir, [join(dir, 'apple', 'c.png'), join(dir, 'zebra', 'a.png'), join(dir, 'zebra', 'b.png')]),
    ]);
    const images = ['apple/c.png', 'zebra/a.png', 'zebra/b.png'].map((f) => readFileSync(join(dir, f)));
    expect(set.sourceFiles![0]!.bytes).toBe(images.reduce((a, b) => a + b.length, 0));
  });

  it('rejects images of different sizes without a size option, naming the odd one', async () => {
    const dir = tempDir();
    await writePng(join(dir, 'a.png'), patternImage(6, 6, 3, 1), 6, 6, 3);
    await writePng(join(dir, 'b.png'), patternImage(8, 6, 3, 1), 8, 6, 3);
    const e = await caught(() => readImageFolder(dir));
    expect(e.message).toContain(join(dir, 'b.png'));
    expect(e.message).toMatch(/pass a size/);
    const fixed = await readImageFolder(dir, { size: 4 });
    expect(fixed.shape).toEqual([2, 4, 4, 3]);
  });

  it('rejects a missing or empty folder', async () => {
    const dir = tempDir();
    await expect(readImageFolder(join(dir, 'nope'))).rejects.toThrow(/is not a folder/);
    mkdirSync(join(dir, 'empty'));
    await expect(readImageFolder(join(dir, 'empty'))).rejects.toThrow(/no images found/);
  });
});

describe('odinOodSet (the ODIN release layouts)', () => {
  it('reads LSUN_resize/LSUN_resize/*.jpg at 32x32 and resizes odd sizes', async () => {
    const root = tempDir();
    for (let i = 0; i < 3; i++)
      await writeJpeg(join(root, 'LSUN_resize', 'LSUN_resize', `${i}.jpg`), smoothImage(32, 32, 3, 40 * i), 32, 32, 3);
    await writeJpeg(join(root, 'LSUN_resize', 'LSUN_resize', '9.jpg'), patternImage(40, 36, 3, 0), 40, 36, 3);
    const set = await odinOodSet('LSUNr', { dir: root });
    expect(set.shape).toEqual([4, 32, 32, 3]);
    expect(set.sourceFiles).toHaveLength(1);
    expect(set.sourceFiles![0]!.path).toBe(join(root, 'LSUN_resize'));
    expect(set.sourceFiles![0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Array.from(set.labels)).toEqual([0, 0, 0, 0]);
    // JPEG is lossy: the decoded pattern stays within a few grey levels of what was written
    const expected = smoothImage(32, 32, 3, 40);
    let maxErr = 0;
    for (let k = 0; k < expected.length; k++) maxErr = Math.max(maxErr, Math.abs(set.images[32 * 32 * 3 + k]! - expected[k]!));
    expect(maxErr).toBeLessThan(6);
  });

  it('takes crops (not resizes) of oversized images in the crop sets, and finds Imagenet/test under dir', async () => {
    const root = tempDir();
    const big = patternImage(36, 36, 3, 0);
    await writePng(join(root, 'Imagenet', 'test', 'a.png'), big, 36, 36, 3);
    const set = await odinOodSet('TINc', { dir: root });
    expect(set.shape).toEqual([1, 32, 32, 3]);
    // centre crop at (2, 2): pixel (0, 0) of the result is (2, 2) of the source
    expect(set.images[0]).toBe(big[(2 * 36 + 2) * 3]);
  });

  it('explains where to put a missing set', async () => {
    const root = tempDir();
    const e = await caught(() => odinOodSet('iSUN', { dir: root }));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain('iSUN.tar.gz');
    expect(e.message).toContain(join(root, 'iSUN'));
  });
});

describe('tinyImageNet (raw layout) and its 32x32 variants', () => {
  async function writeTiny(root: string): Promise<void> {
    const base = join(root, 'tiny-imagenet-200');
    mkdirSync(base, { recursive: true });
    writeFileSync(join(base, 'wnids.txt'), 'n01\nn02\n');
    for (const [wnid, k] of [
      ['n01', 0],
      ['n02', 1],
    ] as const) {
      for (let i = 0; i < 2; i++)
        await writePng(join(base, 'train', wnid, 'images', `${wnid}_${i}.JPEG.png`), patternImage(64, 64, 3, 10 * k + i), 64, 64, 3);
    }
    await writePng(join(base, 'val', 'images', 'val_0.png'), patternImage(64, 64, 3, 5), 64, 64, 3);
    await writePng(join(base, 'val', 'images', 'val_1.png'), patternImage(64, 64, 3, 6), 64, 64, 3);
    writeFileSync(join(base, 'val', 'val_annotations.txt'), 'val_0.png\tn02\t0\t0\t10\t10\nval_1.png\tn01\t0\t0\t10\t10\n');
  }

  it('labels train images by wnid and val images by the annotation file', async () => {
    const root = tempDir();
    await writeTiny(root);
    const train = await tinyImageNet({ split: 'train', dir: root });
    expect(train.shape).toEqual([4, 64, 64, 3]);
    expect(Array.from(train.labels)).toEqual([0, 0, 1, 1]);
    const val = await tinyImageNet({ split: 'val', dir: root });
    expect(Array.from(val.labels)).toEqual([1, 0]);
    // provenance: the split folder, then the class list and the validation labels
    expect(val.sourceFiles!.map((f) => f.path)).toEqual([
      join(root, 'tiny-imagenet-200', 'val'),
      join(root, 'tiny-imagenet-200', 'wnids.txt'),
      join(root, 'tiny-imagenet-200', 'val', 'val_annotations.txt'),
    ]);
  });

  it('reads every split from one folder: test/ missing where train/ and val/ are is refused, naming it (issue 12, defect 7)', async () => {
    const root = tempDir();
    await writeTiny(root);
    const e = await caught(() => tinyImageNet({ split: 'test', dir: root }));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain(`${join(root, 'tiny-imagenet-200')} holds train/val/ but not test/`);
  });

  it('crop variant: seeded 32x32 windows of the original pixels; resize variant: 32x32', async () => {
    const root = tempDir();
    await writeTiny(root);
    const a = await tinyImageNet({ split: 'val', dir: root, variant: 'crop', seed: 3 });
    const b = await tinyImageNet({ split: 'val', dir: root, variant: 'crop', seed: 3 });
    expect(a.shape).toEqual([2, 32, 32, 3]);
    expect(Array.from(a.images)).toEqual(Array.from(b.images));
    // the window is a translate of the pattern: pixel (y, x) = (5 + 3 (y0 + y) + 5 (x0 + x)) mod 256
    const d = a.images[3]! - a.images[0]!; // one step right: +5 (mod 256)
    expect(((d % 256) + 256) % 256).toBe(5);
    const r = await tinyImageNet({ split: 'val', dir: root, variant: 'resize' });
    expect(r.shape).toEqual([2, 32, 32, 3]);
  });
});
