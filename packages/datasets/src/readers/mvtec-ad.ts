// MVTec AD (Bergmann et al. 2019/2021, https://www.mvtec.com/company/research/datasets/mvtec-ad),
// 15 categories, one folder each:
//   <category>/train/good/*.png                          defect-free training images
//   <category>/test/good/*.png                           defect-free test images (label 0, empty mask)
//   <category>/test/<defect>/*.png                       defective test images (label 1)
//   <category>/ground_truth/<defect>/<name>_mask.png     binary masks (0 / 255) for test/<defect>/<name>.png
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { dataSearchDirs, type ImageFolderLocation, isDirectory } from '../data-locations.js';
import { DatasetError } from '../errors.js';
import { recordFolder } from '../file-records.js';
import { checkSplit, type ImageSet, type Split } from '../image-set.js';
import { type DecodedImage, decodeImage, decodeLabelMap } from './decode-image.js';
import { decodeAll, listImageFiles, packImages } from './image-folder.js';

export const MVTEC_CATEGORIES = [
  'bottle',
  'cable',
  'capsule',
  'carpet',
  'grid',
  'hazelnut',
  'leather',
  'metal_nut',
  'pill',
  'screw',
  'tile',
  'toothbrush',
  'transistor',
  'wood',
  'zipper',
] as const;
export type MvtecCategory = (typeof MVTEC_CATEGORIES)[number];

/** Mask pixels above this grey level are defect: the masks are stored as 0 / 255, and resizing with 'nearest' keeps them so. */
const MASK_THRESHOLD = 127;

export interface MvtecOptions {
  category: MvtecCategory;
  split: Split;
  /** Bring images and masks to this size (masks with nearest-neighbour). Native sizes are 700 to 1024 px. */
  size?: number | [number, number];
  /** Output channels; grey categories (grid, screw, zipper) are replicated to RGB by default. */
  channels?: 1 | 3;
  /** `mvtec_anomaly_detection` (the folder holding the category folders) or the category folder itself. */
  dir?: string;
  /**
   * Read at most this many images, taken round-robin over the split's folders (the first image of
   * each defect folder and of good/, then the second, ...) and returned in folder order: the first
   * files alone would be the alphabetically first defect types only, with no good image among them.
   */
  limit?: number;
}

export interface MvtecSet extends ImageSet {
  /** Per-pixel ground truth, [count, height, width], 1 = defect. All zeros for good images. */
  masks: Uint8Array;
  /** 'good' or the defect folder name, per image. */
  defectTypes: string[];
  files: string[];
}

/** A category's training images, relative to its folder: the folder that marks a category as present. */
const MVTEC_TRAIN_FOLDER = join('train', 'good');

/** The folders a category may be in: `dir`/<category>, `dir`/mvtec_anomaly_detection/<category>, `dir` itself. */
function mvtecCategoryCandidates(category: MvtecCategory, dir?: string): string[] {
  return dataSearchDirs('mvtec-ad', dir)
    .flatMap((d) => [join(d, category), join(d, 'mvtec_anomaly_detection', category), d])
    .filter((d) => basename(d) === category);
}

/** The folder `mvtecAd({ category })` reads: the first candidate holding train/good/, or undefined. */
function locateMvtecCategory(category: MvtecCategory, dir?: string): string | undefined {
  return mvtecCategoryCandidates(category, dir).find((d) => isDirectory(join(d, MVTEC_TRAIN_FOLDER)));
}

/**
 * Where MVTec AD is, found category by category as `mvtecAd` finds each: 'complete' when every
 * category is there (its train/good/ folders as the image folders; `dir` is the first category's
 * parent), 'partial' with the missing `<category>/train/good` folders, 'absent' otherwise.
 */
export function locateMvtecAd(dir?: string): ImageFolderLocation {
  const found = MVTEC_CATEGORIES.map((c) => locateMvtecCategory(c, dir));
  const present = found.filter((d): d is string => d !== undefined);
  if (present.length === 0) return { state: 'absent', searched: MVTEC_CATEGORIES.flatMap((c) => mvtecCategoryCandidates(c, dir)) };
  const parent = dirname(present[0]!);
  if (present.length < MVTEC_CATEGORIES.length) {
    return {
      state: 'partial',
      dir: parent,
      missing: MVTEC_CATEGORIES.filter((_, i) => found[i] === undefined).map((c) => join(c, MVTEC_TRAIN_FOLDER)),
    };
  }
  return { state: 'complete', dir: parent, imageFolders: present.map((d) => join(d, MVTEC_TRAIN_FOLDER)) };
}

/**
 * The first `limit` items of the round-robin order over `groups` (the first item of each group, then
 * the second, ...), each group keeping its leading items in order.
 */
function roundRobinPrefix<T>(groups: readonly (readonly T[])[], limit: number): T[][] {
  const counts = groups.map(() => 0);
  let left = limit;
  for (let round = 0; left > 0 && groups.some((g) => g.length > round); round++) {
    for (let g = 0; g < groups.length && left > 0; g++) {
      if (groups[g]!.length > round) {
        counts[g]!++;
        left--;
      }
    }
  }
  return groups.map((g, i) => g.slice(0, counts[i]));
}

export async function mvtecAd(options: MvtecOptions): Promise<MvtecSet> {
  checkSplit(options?.split, 'mvtecAd');
  if (!(MVTEC_CATEGORIES as readonly string[]).includes(options.category)) {
    throw new DatasetError(
      `mvtecAd: unknown category ${JSON.stringify(options.category)}; expected one of ${MVTEC_CATEGORIES.join(', ')}.`,
    );
  }
  const root = locateMvtecCategory(options.category, options.dir);
  if (root === undefined) {
    throw new DatasetError(
      `MVTec AD category ${options.category}: no ${options.category}/train/good/ in ${mvtecCategoryCandidates(options.category, options.dir).join(', ')}. Download mvtec_anomaly_detection.tar.xz (fetchDataset('mvtec-ad') or https://www.mvtec.com/company/research/datasets/mvtec-ad) and extract it there.`,
      { path: mvtecCategoryCandidates(options.category, options.dir)[0] },
    );
  }
  const splitDir = join(root, options.split);
  if (!isDirectory(splitDir)) {
    throw new DatasetError(
      `${splitDir}: missing; an MVTec AD category holds train/good/, test/<defect>/ and ground_truth/<defect>/. Re-extract the archive.`,
      { path: splitDir },
    );
  }
  const defectDirs =
    options.split === 'train'
      ? ['good']
      : (await readdir(splitDir, { withFileTypes: true }))
          .filter((e) => e.isDirectory())
          .map((e) => e.name)
          .sort();
  const folders = await Promise.all(defectDirs.map((defect) => listImageFiles(join(splitDir, defect))));
  const kept = options.limit === undefined ? folders : roundRobinPrefix(folders, options.limit);
  const files = kept.flat();
  const defectTypes = kept.flatMap((inDefect, d) => inDefect.map(() => defectDirs[d]!));
  const size =
    options.size === undefined
      ? undefined
      : typeof options.size === 'number'
        ? ([options.size, options.size] as [number, number])
        : options.size;
  const decoded = await decodeAll(files, (f) =>
    decodeImage(f, { channels: options.channels ?? 3, ...(size ? { size, fit: 'resize' as const } : {}) }),
  );
  const set = packImages(
    decoded,
    files,
    Uint8Array.from(defectTypes, (d) => (d === 'good' ? 0 : 1)),
    root,
  );
  const [n, h, w] = set.shape;
  const masks = new Uint8Array(n * h * w);
  const maskFiles: string[] = [];
  const maskMaps = await decodeAll(files, async (file, i): Promise<DecodedImage> => {
    const defect = defectTypes[i]!;
    if (defect === 'good') return { data: new Uint8Array(h * w), height: h, width: w, channels: 1 };
    const maskPath = join(root, 'ground_truth', defect, `${basename(file, extname(file))}_mask.png`);
    if (!existsSync(maskPath)) {
      throw new DatasetError(
        `${maskPath}: missing ground-truth mask for ${file}; expected ground_truth/<defect>/<name>_mask.png as in the official archive.`,
        { path: maskPath },
      );
    }
    maskFiles.push(maskPath);
    const mask = await decodeLabelMap(maskPath, [h, w]);
    if (mask.height !== h || mask.width !== w) {
      throw new DatasetError(`${maskPath}: mask is ${mask.height}x${mask.width} but its image is ${h}x${w}.`, { path: maskPath });
    }
    return mask;
  });
  maskMaps.forEach((m, i) => {
    for (let p = 0; p < h * w; p++) masks[i * h * w + p] = m.data[p]! > MASK_THRESHOLD ? 1 : 0;
  });
  // one record over the images and masks read, under the category folder
  const sourceFiles = [await recordFolder(root, [...files, ...maskFiles])];
  return { ...set, masks, defectTypes, files, classNames: ['good', 'defect'], sourceFiles };
}
