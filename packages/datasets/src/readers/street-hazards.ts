// StreetHazards (Hendrycks et al., "Scaling Out-of-Distribution Detection for Real-World Settings",
// github.com/hendrycks/anomaly-seg), CARLA-rendered 1280x720 street scenes with per-pixel labels.
// streethazards_train.tar and streethazards_test.tar extract to:
//   train/images/training/t1-3/*.png      train/annotations/training/t1-3/*.png     5,125 scenes
//   train/images/validation/t4/*.png      train/annotations/validation/t4/*.png     1,031 scenes
//   test/images/test/t5|t6/*.png          test/annotations/test/t5|t6/*.png         1,500 scenes
// An annotation is a one-channel PNG of ids 1..14 (a stray 0 is read as unlabeled); subtracting 1 (as the official loader does) gives
//   0 unlabeled, 1 building, 2 fence, 3 other, 4 pedestrian, 5 pole, 6 road line, 7 road,
//   8 sidewalk, 9 vegetation, 10 car, 11 wall, 12 traffic sign, 13 anomaly (test scenes only).
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { dataSearchDirs, type ImageFolderLocation, isDirectory } from '../data-locations.js';
import { DatasetError } from '../errors.js';
import { recordFolder } from '../file-records.js';
import type { ImageSet } from '../image-set.js';
import { decodeImage, decodeLabelMap } from './decode-image.js';
import { decodeAll, listImageFiles, packImages } from './image-folder.js';

export const STREET_HAZARDS_CLASS_NAMES: readonly string[] = [
  'unlabeled',
  'building',
  'fence',
  'other',
  'pedestrian',
  'pole',
  'road line',
  'road',
  'sidewalk',
  'vegetation',
  'car',
  'wall',
  'traffic sign',
  'anomaly',
];
/** The zero-based class id of anomalous objects (file value 14). */
export const STREET_HAZARDS_ANOMALY_CLASS = 13;
/** Annotation files store class id + 1. */
const ANNOTATION_OFFSET = 1;

export type StreetHazardsSplit = 'train' | 'validation' | 'test';

const SPLIT_FOLDERS: Record<StreetHazardsSplit, [top: string, sub: string]> = {
  train: ['train', 'training'],
  validation: ['train', 'validation'],
  test: ['test', 'test'],
};

export interface StreetHazardsOptions {
  split: StreetHazardsSplit;
  /** Bring scenes and label maps to [height, width] (label maps with nearest-neighbour). Native: 720x1280. */
  size?: [number, number];
  /** The folder holding `train/` and `test/` (the extracted archives). Only it is searched when given. */
  dir?: string;
  limit?: number;
}

export interface StreetHazardsSet extends ImageSet {
  /** Per-pixel zero-based class ids, [count, height, width]. */
  classMaps: Uint8Array;
  /** 1 where classMaps === STREET_HAZARDS_ANOMALY_CLASS. */
  masks: Uint8Array;
  files: string[];
}

const STREET_HAZARDS_SPLITS = Object.keys(SPLIT_FOLDERS) as StreetHazardsSplit[];

/** The image folder of a split, relative to the dataset folder (`train/images/training`, ...). */
function streetHazardsImageFolder(split: StreetHazardsSplit): string {
  const [top, sub] = SPLIT_FOLDERS[split];
  return join(top, 'images', sub);
}

/**
 * Where StreetHazards is: the first of `dir`, `dir`/streethazards, then the same in each search
 * folder, holding train/images or test/images. Every split is read from that one folder, so the
 * splits cannot come from two copies; 'partial' names the image folders it lacks.
 */
export function locateStreetHazards(dir?: string): ImageFolderLocation {
  const candidates = dataSearchDirs('street-hazards', dir).flatMap((d) => [d, join(d, 'streethazards')]);
  const root = candidates.find((d) => isDirectory(join(d, 'train', 'images')) || isDirectory(join(d, 'test', 'images')));
  if (root === undefined) return { state: 'absent', searched: candidates };
  const folders = STREET_HAZARDS_SPLITS.map(streetHazardsImageFolder);
  const missing = folders.filter((f) => !isDirectory(join(root, f)));
  if (missing.length > 0) return { state: 'partial', dir: root, missing };
  return { state: 'complete', dir: root, imageFolders: folders.map((f) => join(root, f)) };
}

/** `labels` is 1 for a scene holding any anomalous pixel, else 0. */
export async function streetHazards(options: StreetHazardsOptions): Promise<StreetHazardsSet> {
  const folders = SPLIT_FOLDERS[options?.split];
  if (folders === undefined) {
    throw new DatasetError(`streetHazards: split must be 'train', 'validation' or 'test', got ${JSON.stringify(options?.split)}.`);
  }
  const [top, sub] = folders;
  const location = locateStreetHazards(options.dir);
  if (location.state === 'absent') {
    throw new DatasetError(
      `StreetHazards ${options.split}: no ${top}/images/${sub}/ in ${location.searched.join(', ')}. Download streethazards_${top}.tar (fetchDataset('street-hazards') or github.com/hendrycks/anomaly-seg) and extract it there.`,
      { path: location.searched[0] },
    );
  }
  const root = location.dir;
  if (location.state === 'partial' && location.missing.includes(streetHazardsImageFolder(options.split))) {
    throw new DatasetError(
      `StreetHazards ${options.split}: ${root} holds part of the dataset but no ${top}/images/${sub}/. Every split is read from one folder: extract streethazards_${top}.tar there too, or remove that copy so that the next one is used.`,
      { path: root },
    );
  }
  const imagesDir = join(root, top, 'images', sub);
  let files = await listImageFiles(imagesDir);
  if (options.limit !== undefined) files = files.slice(0, options.limit);
  const annotationFiles = files.map((f) => join(root, top, 'annotations', sub, relative(imagesDir, f)));
  const decoded = await decodeAll(files, (f) =>
    decodeImage(f, { channels: 3, ...(options.size ? { size: options.size, fit: 'resize' as const } : {}) }),
  );
  const set = packImages(decoded, files, new Uint8Array(files.length), imagesDir);
  const [n, h, w] = set.shape;
  const classMaps = new Uint8Array(n * h * w);
  const masks = new Uint8Array(n * h * w);
  const labels = new Uint8Array(n);
  const maps = await decodeAll(annotationFiles, (f, i) => {
    if (!existsSync(f)) {
      throw new DatasetError(
        `${f}: missing annotation for ${files[i]}; every images/<...>/<name>.png needs annotations/<...>/<name>.png (a one-channel PNG of class ids 1..14).`,
        { path: f },
      );
    }
    return decodeLabelMap(f, options.size);
  });
  maps.forEach((m, i) => {
    if (m.height !== h || m.width !== w) {
      throw new DatasetError(`${annotationFiles[i]}: annotation is ${m.height}x${m.width}, its scene ${h}x${w}.`, {
        path: annotationFiles[i],
      });
    }
    for (let p = 0; p < h * w; p++) {
      const raw = m.data[p]!;
      if (raw > STREET_HAZARDS_ANOMALY_CLASS + ANNOTATION_OFFSET) {
        throw new DatasetError(
          `${annotationFiles[i]}: pixel ${p} has id ${raw}, expected 1..14 (class id + 1); this is not a StreetHazards annotation.`,
          { path: annotationFiles[i] },
        );
      }
      // A stored 0 has no class; it is counted as 'unlabeled' rather than wrapping below zero.
      const cls = Math.max(0, raw - ANNOTATION_OFFSET);
      classMaps[i * h * w + p] = cls;
      if (cls === STREET_HAZARDS_ANOMALY_CLASS) {
        masks[i * h * w + p] = 1;
        labels[i] = 1;
      }
    }
  });
  // one record over the scenes and annotations read, under the split's top folder
  const sourceFiles = [await recordFolder(join(root, top), [...files, ...annotationFiles])];
  return { ...set, labels, classMaps, masks, files, classNames: STREET_HAZARDS_CLASS_NAMES, sourceFiles };
}
