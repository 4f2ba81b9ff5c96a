// The 32x32 out-of-distribution test sets released with ODIN (Liang et al. 2018,
// github.com/facebookresearch/odin) and used by the paper's CIFAR OOD tables. Each archive
// extracts to one folder holding one subfolder of images (torchvision ImageFolder style):
//   Imagenet.tar.gz         -> Imagenet/test/*.jpg                       TINc   10,000 random 32x32 crops of Tiny ImageNet test images
//   Imagenet_resize.tar.gz  -> Imagenet_resize/Imagenet_resize/*.jpg     TINr   10,000 Tiny ImageNet test images downsampled to 32x32
//   LSUN.tar.gz             -> LSUN/test/*.jpg                           LSUNc  10,000 random 32x32 crops of LSUN test images
//   LSUN_resize.tar.gz      -> LSUN_resize/LSUN_resize/*.jpg             LSUNr  10,000 LSUN test images downsampled to 32x32
//   iSUN.tar.gz             -> iSUN/iSUN_patches/*.jpeg                  iSUN    8,925 iSUN images downsampled to 32x32
import { basename, join } from 'node:path';
import { dataSearchDirs, type ImageFolderLocation, isDirectory } from '../data-locations.js';
import { DatasetError } from '../errors.js';
import { recordFolder } from '../file-records.js';
import type { ImageSet } from '../image-set.js';
import { decodeImage } from './decode-image.js';
import { decodeAll, listImageFiles, packImages } from './image-folder.js';

export type OdinOodSetName = 'TINc' | 'TINr' | 'LSUNc' | 'LSUNr' | 'iSUN';

/** The side length of every ODIN OOD image, matching CIFAR. */
export const ODIN_IMAGE_SIDE = 32;

interface OdinSetInfo {
  folder: string;
  archive: string;
  /** How an image that is not already 32x32 is brought to 32x32: crops stay crops, resized sets are resized. */
  fit: 'crop' | 'resize';
}

export const ODIN_OOD_SETS: Readonly<Record<OdinOodSetName, OdinSetInfo>> = {
  TINc: { folder: 'Imagenet', archive: 'Imagenet.tar.gz', fit: 'crop' },
  TINr: { folder: 'Imagenet_resize', archive: 'Imagenet_resize.tar.gz', fit: 'resize' },
  LSUNc: { folder: 'LSUN', archive: 'LSUN.tar.gz', fit: 'crop' },
  LSUNr: { folder: 'LSUN_resize', archive: 'LSUN_resize.tar.gz', fit: 'resize' },
  iSUN: { folder: 'iSUN', archive: 'iSUN.tar.gz', fit: 'resize' },
};

export interface OdinOodSetOptions {
  /** The extracted set's folder (e.g. `.../LSUN_resize`) or a folder containing it. Only it is searched when given. */
  dir?: string;
  /** Read only the first `limit` images (sorted by file name). */
  limit?: number;
}

/**
 * Where an ODIN OOD set is: the first of `dir`/<folder>, `dir`, then the same in each search folder
 * (`$CURVAD_DATA/ood`, `$CURVAD_DATA`, ...) that is a folder named like the set's (`LSUN_resize`, ...).
 * Its images may sit in any subfolder.
 */
export function locateOdinOodSet(name: OdinOodSetName, dir?: string): ImageFolderLocation {
  const info = ODIN_OOD_SETS[name];
  if (info === undefined) {
    throw new DatasetError(
      `locateOdinOodSet: unknown set ${JSON.stringify(name)}; expected one of ${Object.keys(ODIN_OOD_SETS).join(', ')}.`,
    );
  }
  const candidates = dataSearchDirs('ood', dir).flatMap((d) => [join(d, info.folder), d]);
  const root = candidates.find((d) => basename(d) === info.folder && isDirectory(d));
  if (root === undefined) return { state: 'absent', searched: candidates.filter((d) => basename(d) === info.folder) };
  return { state: 'complete', dir: root, imageFolders: [root] };
}

/**
 * An ODIN OOD set as 32x32 RGB images, every label 0 (they have no classes). Searched in `dir`,
 * then `$CURVAD_DATA/ood`, `$CURVAD_DATA`, `~/.cache/curvad/ood`, `/usr/share/datasets/ood`.
 */
export async function odinOodSet(name: OdinOodSetName, options: OdinOodSetOptions = {}): Promise<ImageSet> {
  const info = ODIN_OOD_SETS[name];
  if (info === undefined) {
    throw new DatasetError(`odinOodSet: unknown set ${JSON.stringify(name)}; expected one of ${Object.keys(ODIN_OOD_SETS).join(', ')}.`);
  }
  const location = locateOdinOodSet(name, options.dir);
  if (location.state !== 'complete') {
    const searched = location.state === 'absent' ? location.searched : [location.dir];
    throw new DatasetError(
      `${name}: folder ${info.folder}/ not found in ${searched.join(', ')}. Fetch it with fetchDataset('${name}') or download ${info.archive} (links in the ODIN README, github.com/facebookresearch/odin) and extract it into one of those folders' parents.`,
      { path: searched[0] },
    );
  }
  const root = location.dir;
  let files = await listImageFiles(root);
  if (options.limit !== undefined) files = files.slice(0, options.limit);
  const decoded = await decodeAll(files, async (file) => {
    const img = await decodeImage(file, { channels: 3 });
    if (img.height === ODIN_IMAGE_SIDE && img.width === ODIN_IMAGE_SIDE) return img;
    return decodeImage(file, { channels: 3, size: ODIN_IMAGE_SIDE, fit: info.fit === 'crop' ? 'crop' : 'resize' });
  });
  return { ...packImages(decoded, files, new Uint8Array(files.length), root), sourceFiles: [await recordFolder(root, files)] };
}
