// PNG/JPEG decoding through sharp (libvips, prebuilt binaries from the npm registry). sharp is
// imported lazily so the IDX and CIFAR readers, the tasks and the pipeline work without loading it.
import { DatasetError } from '../errors.js';

export interface DecodedImage {
  data: Uint8Array;
  height: number;
  width: number;
  channels: number;
}

/**
 * How an image is brought to `size`:
 * - 'resize': scale the whole image to exactly size x size (aspect ratio not kept; the ODIN "resize" sets);
 * - 'center-crop': scale the shorter side to size, then cut the centre square;
 * - 'crop': no scaling, cut a size x size window (at `cropOffset`, default the centre; the ODIN "crop" sets).
 */
export type FitMode = 'resize' | 'center-crop' | 'crop';

export interface DecodeOptions {
  /** Output channels: 3 (RGB, the default; grey images are replicated) or 1 (luma). */
  channels?: 1 | 3;
  /** Output side length (square) or [height, width]. Omit to keep the native size. */
  size?: number | [number, number];
  fit?: FitMode;
  /** Top-left corner of the 'crop' window; defaults to the centre. */
  cropOffset?: [y: number, x: number];
  /** 'nearest' for label maps (no new label values appear), 'linear' (default) for pixels. */
  kernel?: 'nearest' | 'linear';
}

type SharpFactory = typeof import('sharp').default;
let sharpModule: Promise<SharpFactory> | undefined;

async function loadSharp(): Promise<SharpFactory> {
  sharpModule ??= import('sharp').then((m) => (m as { default?: SharpFactory }).default ?? (m as unknown as SharpFactory));
  try {
    return await sharpModule;
  } catch (cause) {
    sharpModule = undefined;
    throw new DatasetError(
      `Cannot load sharp to decode PNG/JPEG (${(cause as Error).message}). Reinstall it (\`pnpm add sharp\`); it ships prebuilt libvips for linux, macOS and Windows on x64 and arm64.`,
      { cause },
    );
  }
}

function sizeOf(size: number | [number, number]): [number, number] {
  const [h, w] = typeof size === 'number' ? [size, size] : size;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) {
    throw new DatasetError(`size must be a positive integer or [height, width] of positive integers, got ${JSON.stringify(size)}.`);
  }
  return [h, w];
}

/** Decodes an image file into uint8 HWC pixels, optionally brought to a fixed size. */
export async function decodeImage(path: string, options: DecodeOptions = {}): Promise<DecodedImage> {
  const sharp = await loadSharp();
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3) {
    throw new DatasetError(`decodeImage: channels must be 1 or 3, got ${String(channels)}.`);
  }
  const kernel = options.kernel === 'nearest' ? 'nearest' : 'linear';
  try {
    let pipeline = sharp(path, { failOn: 'error' });
    const fit = options.fit ?? 'resize';
    if (options.size !== undefined && fit !== 'crop') {
      const [h, w] = sizeOf(options.size);
      pipeline = pipeline.resize(w, h, { fit: fit === 'resize' ? 'fill' : 'cover', position: 'centre', kernel });
    }
    pipeline = channels === 1 ? pipeline.toColourspace('b-w') : pipeline.toColourspace('srgb').removeAlpha();
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    let image: DecodedImage = {
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      height: info.height,
      width: info.width,
      channels: info.channels,
    };
    if (image.channels !== channels) {
      throw new DatasetError(`${path}: decoded to ${image.channels} channels, expected ${channels}.`, { path });
    }
    if (options.size !== undefined && fit === 'crop') image = cropImage(image, sizeOf(options.size), options.cropOffset, path);
    return image;
  } catch (cause) {
    if (DatasetError.isInstance(cause)) throw cause;
    throw new DatasetError(`${path}: cannot decode as PNG/JPEG (${(cause as Error).message}); the file is corrupt or not an image.`, {
      path,
      cause,
    });
  }
}

/** Reads a label map / mask PNG: the first channel's stored values, untouched by colour conversion. */
export async function decodeLabelMap(path: string, size?: [number, number]): Promise<DecodedImage> {
  const sharp = await loadSharp();
  try {
    let pipeline = sharp(path, { failOn: 'error' });
    if (size !== undefined) pipeline = pipeline.resize(size[1], size[0], { fit: 'fill', kernel: 'nearest' });
    const { data, info } = await pipeline.extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), height: info.height, width: info.width, channels: 1 };
  } catch (cause) {
    throw new DatasetError(`${path}: cannot decode the label map / mask PNG (${(cause as Error).message}).`, { path, cause });
  }
}

/** Cuts an [h, w] window at `offset` (default: centred) out of an HWC image. */
export function cropImage(
  image: DecodedImage,
  [h, w]: [number, number],
  offset: [number, number] | undefined,
  path = 'image',
): DecodedImage {
  if (image.height < h || image.width < w) {
    throw new DatasetError(
      `${path}: ${image.height}x${image.width} is smaller than the ${h}x${w} crop; use fit 'resize' or 'center-crop'.`,
      { path },
    );
  }
  const [y0, x0] = offset ?? [Math.floor((image.height - h) / 2), Math.floor((image.width - w) / 2)];
  if (y0 < 0 || x0 < 0 || y0 + h > image.height || x0 + w > image.width) {
    throw new DatasetError(`${path}: crop window at (${y0}, ${x0}) of ${h}x${w} leaves the ${image.height}x${image.width} image.`, {
      path,
    });
  }
  const c = image.channels;
  const out = new Uint8Array(h * w * c);
  for (let y = 0; y < h; y++) {
    const src = ((y0 + y) * image.width + x0) * c;
    out.set(image.data.subarray(src, src + w * c), y * w * c);
  }
  return { data: out, height: h, width: w, channels: c };
}

/** Encodes uint8 HWC pixels as PNG (tests and tools write small files in the official formats with it). */
export async function encodePng(data: Uint8Array, height: number, width: number, channels: 1 | 3): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(Buffer.from(data.buffer, data.byteOffset, data.length), { raw: { width, height, channels } })
    .png()
    .toBuffer();
}

/** Encodes uint8 HWC pixels as JPEG at quality 100 (lossy: the decoded pixels differ slightly). */
export async function encodeJpeg(data: Uint8Array, height: number, width: number, channels: 1 | 3): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(Buffer.from(data.buffer, data.byteOffset, data.length), { raw: { width, height, channels } })
    .jpeg({ quality: 100 })
    .toBuffer();
}
