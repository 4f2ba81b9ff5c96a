import { readdir } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { isDirectory } from '../data-locations.js';
import { DatasetError } from '../errors.js';
import { recordFolder } from '../file-records.js';
import type { ImageSet } from '../image-set.js';
import { type DecodedImage, type DecodeOptions, decodeImage } from './decode-image.js';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.webp', '.tif', '.tiff', '.gif']);

/** How many files are decoded at once: enough to keep libvips' thread pool busy without opening hundreds of files. */
const DECODE_CONCURRENCY = 8;

/** Image files under `dir` (recursively), sorted by path so every machine reads the same order. */
export async function listImageFiles(dir: string): Promise<string[]> {
  if (!isDirectory(dir)) {
    throw new DatasetError(`${dir} is not a folder; expected a folder of PNG/JPEG images.`, { path: dir });
  }
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(p);
    }
  };
  await walk(dir);
  return out.sort();
}

/** Decodes `files` in order with bounded concurrency, calling `decode` per file with its index. */
export async function decodeAll(
  files: readonly string[],
  decode: (file: string, index: number) => Promise<DecodedImage>,
): Promise<DecodedImage[]> {
  const out = new Array<DecodedImage>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      out[i] = await decode(files[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(DECODE_CONCURRENCY, files.length) }, worker));
  return out;
}

/** Packs decoded images of one size into an NHWC ImageSet; a file of another size is an error naming it. */
export function packImages(decoded: readonly DecodedImage[], files: readonly string[], labels: Uint8Array, source: string): ImageSet {
  if (decoded.length === 0) {
    throw new DatasetError(`${source}: no images found; expected PNG/JPEG files (${[...IMAGE_EXTENSIONS].join(', ')}).`, { path: source });
  }
  const { height, width, channels } = decoded[0]!;
  const per = height * width * channels;
  const images = new Uint8Array(decoded.length * per);
  decoded.forEach((img, i) => {
    if (img.height !== height || img.width !== width || img.channels !== channels) {
      throw new DatasetError(
        `${files[i]}: ${img.height}x${img.width}x${img.channels}, but ${files[0]} is ${height}x${width}x${channels}; pass a size to bring every image to one shape.`,
        { path: files[i] },
      );
    }
    images.set(img.data, i * per);
  });
  return { images, labels, shape: [decoded.length, height, width, channels], source };
}

export interface ImageFolderOptions extends DecodeOptions {
  /**
   * 'subfolder' (default): torchvision ImageFolder style, the label is the index of the first-level
   * subfolder in sorted order, and `classNames` are the subfolder names; 'none': every label is 0.
   */
  labelFrom?: 'subfolder' | 'none';
  /** Read only the first `limit` files (in sorted order). */
  limit?: number;
}

/** Reads every image under `dir` into one ImageSet. */
export async function readImageFolder(dir: string, options: ImageFolderOptions = {}): Promise<ImageSet> {
  let files = await listImageFiles(dir);
  if (options.limit !== undefined) files = files.slice(0, options.limit);
  const labelFrom = options.labelFrom ?? 'subfolder';
  const firstLevel = files.map((f) => relative(dir, f).split(sep));
  const classNames = labelFrom === 'subfolder' ? [...new Set(firstLevel.filter((p) => p.length > 1).map((p) => p[0]!))].sort() : [];
  const labels = new Uint8Array(files.length);
  if (labelFrom === 'subfolder') {
    if (classNames.length > 256)
      throw new DatasetError(`${dir}: ${classNames.length} class subfolders do not fit uint8 labels; use labelFrom: 'none'.`, {
        path: dir,
      });
    firstLevel.forEach((p, i) => {
      labels[i] = p.length > 1 ? classNames.indexOf(p[0]!) : 0;
    });
  }
  const decoded = await decodeAll(files, (f) => decodeImage(f, options));
  const set = { ...packImages(decoded, files, labels, dir), sourceFiles: [await recordFolder(dir, files)] };
  return classNames.length > 0 ? { ...set, classNames } : set;
}
