// Tiny ImageNet (cs231n, http://cs231n.stanford.edu/tiny-imagenet-200.zip), 64x64 RGB, 200 classes:
//   tiny-imagenet-200/wnids.txt                       the 200 class ids, one per line (label = line index)
//   tiny-imagenet-200/train/<wnid>/images/*.JPEG      500 per class
//   tiny-imagenet-200/val/images/*.JPEG + val/val_annotations.txt  (file \t wnid \t bbox), 10,000
//   tiny-imagenet-200/test/images/*.JPEG              10,000, unlabelled (label 0)
// The 'crop' and 'resize' variants rebuild ODIN's TINc / TINr recipe from these raw images:
// a seeded random 32x32 window, or the whole image downsampled to 32x32.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { dataSearchDirs, type ImageFolderLocation, isDirectory } from '../data-locations.js';
import { DatasetError } from '../errors.js';
import { recordFile, recordFolder } from '../file-records.js';
import type { ImageSet } from '../image-set.js';
import { createRng } from '../random.js';
import { cropImage, decodeImage } from './decode-image.js';
import { decodeAll, listImageFiles, packImages } from './image-folder.js';

const TINY_SIDE = 64;
const VARIANT_SIDE = 32;
/** The split folders of tiny-imagenet-200.zip, each read by `tinyImageNet({ split })`. */
export const TINY_IMAGENET_SPLITS = ['train', 'val', 'test'] as const;

export interface TinyImageNetOptions {
  split: 'train' | 'val' | 'test';
  /** 'native' (64x64, default), 'crop' (seeded random 32x32 window), 'resize' (downsampled to 32x32). */
  variant?: 'native' | 'crop' | 'resize';
  /** Seed of the crop positions (variant 'crop'). */
  seed?: number;
  /** `tiny-imagenet-200` itself or its parent. Only it is searched when given. */
  dir?: string;
  limit?: number;
}

/**
 * Where Tiny ImageNet is: the first of `dir`, `dir`/tiny-imagenet-200, then the same in each search
 * folder, holding any split folder. Every split is read from that one folder, so train and val cannot
 * come from two copies; 'partial' names the split folders it lacks.
 */
export function locateTinyImageNet(dir?: string): ImageFolderLocation {
  const candidates = dataSearchDirs('tiny-imagenet', dir).flatMap((d) => [d, join(d, 'tiny-imagenet-200')]);
  const root = candidates.find((d) => TINY_IMAGENET_SPLITS.some((s) => isDirectory(join(d, s))));
  if (root === undefined) return { state: 'absent', searched: candidates };
  const missing = TINY_IMAGENET_SPLITS.filter((s) => !isDirectory(join(root, s)));
  if (missing.length > 0) return { state: 'partial', dir: root, missing };
  return { state: 'complete', dir: root, imageFolders: TINY_IMAGENET_SPLITS.map((s) => join(root, s)) };
}

export async function tinyImageNet(options: TinyImageNetOptions): Promise<ImageSet> {
  if (!['train', 'val', 'test'].includes(options?.split)) {
    throw new DatasetError(`tinyImageNet: split must be 'train', 'val' or 'test', got ${JSON.stringify(options?.split)}.`);
  }
  const variant = options.variant ?? 'native';
  if (!['native', 'crop', 'resize'].includes(variant)) {
    throw new DatasetError(`tinyImageNet: variant must be 'native', 'crop' or 'resize', got ${JSON.stringify(variant)}.`);
  }
  const location = locateTinyImageNet(options.dir);
  if (location.state === 'absent') {
    throw new DatasetError(
      `Tiny ImageNet ${options.split}/ not found in ${location.searched.join(', ')}. Download http://cs231n.stanford.edu/tiny-imagenet-200.zip (fetchDataset('tiny-imagenet')) and unzip it there.`,
      { path: location.searched[0] },
    );
  }
  const root = location.dir;
  if (location.state === 'partial' && location.missing.includes(options.split)) {
    throw new DatasetError(
      `Tiny ImageNet: ${root} holds ${TINY_IMAGENET_SPLITS.filter((s) => !location.missing.includes(s)).join('/')}/ but not ${options.split}/. Every split is read from one folder: unzip the whole tiny-imagenet-200.zip there, or remove that copy so that the next one is used.`,
      { path: root },
    );
  }
  const wnidsPath = join(root, 'wnids.txt');
  const wnids = (
    await readFile(wnidsPath, 'utf8').catch((cause: Error) => {
      throw new DatasetError(`${wnidsPath}: cannot read the class list (${cause.message}); expected 200 WordNet ids, one per line.`, {
        path: wnidsPath,
        cause,
      });
    })
  )
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const classIndex = new Map(wnids.map((w, i) => [w, i]));

  let files = await listImageFiles(join(root, options.split));
  if (options.limit !== undefined) files = files.slice(0, options.limit);
  const labels = new Uint8Array(files.length);
  if (options.split === 'train') {
    files.forEach((f, i) => {
      const wnid = basename(f).split('_')[0]!;
      const label = classIndex.get(wnid);
      if (label === undefined) throw new DatasetError(`${f}: class ${wnid} is not in ${wnidsPath}.`, { path: f });
      labels[i] = label;
    });
  } else if (options.split === 'val') {
    const annPath = join(root, 'val', 'val_annotations.txt');
    const ann = await readFile(annPath, 'utf8').catch((cause: Error) => {
      throw new DatasetError(`${annPath}: cannot read the validation labels (${cause.message}).`, { path: annPath, cause });
    });
    const byFile = new Map(
      ann
        .split(/\r?\n/)
        .filter((l) => l.trim() !== '')
        .map((l) => l.split('\t') as [string, string]),
    );
    files.forEach((f, i) => {
      const label = classIndex.get(byFile.get(basename(f)) ?? '');
      if (label === undefined) throw new DatasetError(`${f}: no known class for this file in ${annPath}.`, { path: f });
      labels[i] = label;
    });
  }
  // 200 classes fit in uint8, so labels stay Uint8Array like every other reader.
  // Crop positions are drawn up front, per index, so concurrent decoding cannot reorder the draws.
  const rng = createRng(options.seed ?? 0);
  const cropDraws = Float64Array.from({ length: 2 * files.length }, () => rng());
  const decoded = await decodeAll(files, async (file, i) => {
    if (variant === 'resize') return decodeImage(file, { channels: 3, size: VARIANT_SIDE, fit: 'resize' });
    const full = await decodeImage(file, { channels: 3, size: TINY_SIDE, fit: 'resize' });
    if (variant === 'native') return full;
    const y = Math.floor(cropDraws[2 * i]! * (full.height - VARIANT_SIDE + 1));
    const x = Math.floor(cropDraws[2 * i + 1]! * (full.width - VARIANT_SIDE + 1));
    return cropImage(full, [VARIANT_SIDE, VARIANT_SIDE], [y, x], file);
  });
  const labelFiles = options.split === 'val' ? [wnidsPath, join(root, 'val', 'val_annotations.txt')] : [wnidsPath];
  const sourceFiles = [await recordFolder(join(root, options.split), files), ...(await Promise.all(labelFiles.map((f) => recordFile(f))))];
  return { ...packImages(decoded, files, labels, root), classNames: wnids, sourceFiles };
}
