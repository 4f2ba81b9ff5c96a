// Test support: a tiny MVTec AD in the official layout of the extracted archive, written with the
// datasets package's own PNG encoder, so the patch-svdd task can be tested on MVTec without the
// 4.9 GB download. Two categories as the real ones differ: bottle in RGB, grid in greyscale (the
// archive stores grid, screw and zipper as one-channel PNGs).
//   <dir>/<category>/train/good/NNN.png
//   <dir>/<category>/test/<defect>/NNN.png              ('good' among the defect folders)
//   <dir>/<category>/ground_truth/<defect>/NNN_mask.png one-channel 0 / 255, for each non-good test image
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { encodePng } from '@curvad/datasets';

/** The fixture images' side in pixels (the real ones are 700 to 1024). */
export const FIXTURE_SIDE = 40;

/**
 * Defect boxes have edges on multiples of 5 pixels, so resizing 40 px to 32, 64 or 128 (x0.8, x1.6,
 * x3.2) puts every edge on a whole pixel and the nearest-neighbour resized mask is exactly the scaled box.
 */
const BOX_EDGE_STEP = 5;

/** A filled rectangle of fixture pixels: rows [y0, y1), columns [x0, x1). */
export type Box = readonly [y0: number, y1: number, x0: number, x1: number];

export interface FixtureTestImage {
  defect: string;
  /** The defect's mask (absent for 'good'). */
  box?: Box;
}

export interface FixtureCategory {
  channels: 1 | 3;
  /** Training images (train/good/). */
  train: number;
  /** Test images in the order the reader returns them: defect folders sorted by name, files by name. */
  test: readonly FixtureTestImage[];
}

/** The uniform colour of each category's first training image (grey categories: its first channel). */
export const FIRST_TRAIN_COLOUR = [200, 100, 50] as const;

/** The grey value a defect box is painted with on a test image (its mask marks the same pixels). */
const DEFECT_GREY = 255;

export const MVTEC_FIXTURE = {
  bottle: {
    channels: 3,
    train: 4,
    test: [
      { defect: 'broken_large', box: [5, 20, 10, 25] },
      { defect: 'broken_large', box: [20, 35, 20, 40] },
      { defect: 'contamination', box: [0, 5, 0, 10] },
      { defect: 'good' },
      { defect: 'good' },
    ],
  },
  grid: {
    channels: 1,
    train: 3,
    test: [{ defect: 'bent', box: [10, 30, 10, 30] }, { defect: 'good' }, { defect: 'good' }],
  },
} as const satisfies Record<string, FixtureCategory>;

export type FixtureCategoryName = keyof typeof MVTEC_FIXTURE;

function checkBox(box: Box): void {
  if (box.some((edge) => edge % BOX_EDGE_STEP !== 0 || edge < 0 || edge > FIXTURE_SIDE)) {
    throw new Error(`fixture box ${JSON.stringify(box)}: edges must be multiples of ${BOX_EDGE_STEP} within 0..${FIXTURE_SIDE}.`);
  }
}

/** A side x side 0/1 mask of `box` scaled from the fixture's side to `side` (which must map every edge to a whole pixel). */
export function boxMask(box: Box, side: number, on = 1): Uint8Array {
  checkBox(box);
  const [y0, y1, x0, x1] = box.map((edge) => (edge * side) / FIXTURE_SIDE) as unknown as Box;
  if (![y0, y1, x0, x1].every(Number.isInteger)) {
    throw new Error(`boxMask: side ${side} does not map the edges of ${JSON.stringify(box)} to whole pixels; use 32, 64 or 128.`);
  }
  const mask = new Uint8Array(side * side);
  for (let y = y0; y < y1; y++) mask.fill(on, y * side + x0, y * side + x1);
  return mask;
}

/** Image `seed`: a diagonal ramp per channel (never constant, so the training pixels have a spread). */
function rampImage(channels: number, seed: number): Uint8Array {
  const out = new Uint8Array(FIXTURE_SIDE * FIXTURE_SIDE * channels);
  for (let p = 0; p < FIXTURE_SIDE * FIXTURE_SIDE; p++) {
    const [y, x] = [Math.floor(p / FIXTURE_SIDE), p % FIXTURE_SIDE];
    for (let c = 0; c < channels; c++) out[p * channels + c] = (seed * 29 + 3 * y + 5 * x + 7 * c) % 200;
  }
  return out;
}

async function writePng(path: string, pixels: Uint8Array, channels: 1 | 3): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await encodePng(pixels, FIXTURE_SIDE, FIXTURE_SIDE, channels));
}

const fileName = (index: number) => String(index).padStart(3, '0');

async function writeCategory(dir: string, name: string, category: FixtureCategory): Promise<void> {
  const root = join(dir, name);
  const { channels } = category;
  for (let i = 0; i < category.train; i++) {
    const pixels =
      i === 0
        ? Uint8Array.from({ length: FIXTURE_SIDE * FIXTURE_SIDE * channels }, (_, k) => FIRST_TRAIN_COLOUR[k % channels]!)
        : rampImage(channels, i);
    await writePng(join(root, 'train', 'good', `${fileName(i)}.png`), pixels, channels);
  }
  const perDefect = new Map<string, number>();
  for (const [i, image] of category.test.entries()) {
    const index = perDefect.get(image.defect) ?? 0;
    perDefect.set(image.defect, index + 1);
    const pixels = rampImage(channels, 100 + i);
    if (image.box) {
      const painted = boxMask(image.box, FIXTURE_SIDE);
      painted.forEach((on, p) => {
        if (on) pixels.fill(DEFECT_GREY, p * channels, (p + 1) * channels);
      });
      await writePng(join(root, 'ground_truth', image.defect, `${fileName(index)}_mask.png`), boxMask(image.box, FIXTURE_SIDE, 255), 1);
    }
    await writePng(join(root, 'test', image.defect, `${fileName(index)}.png`), pixels, channels);
  }
}

/** Writes every category of MVTEC_FIXTURE under `dir` (the folder that holds the category folders). */
export async function writeMvtecFixture(dir: string): Promise<void> {
  for (const [name, category] of Object.entries(MVTEC_FIXTURE)) await writeCategory(dir, name, category);
}
