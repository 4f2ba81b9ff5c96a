// A tiny PNG writer for the report's example images: 8-bit greyscale or RGB, no interlacing, the
// image data in stored (uncompressed) deflate blocks by default. Small images (28x28, 32x32) gain
// little from compression, and this keeps the report pure JS with no image dependency. Pages with
// dozens of larger images (the patch-svdd heatmaps, 128-256 px a side, up to 14 a test image) ask
// for `compress`: node's own zlib deflates them, typically several times smaller (a heatmap is mostly
// runs of one colour). Format: PNG spec (ISO/IEC 15948), zlib (RFC 1950) and deflate stored blocks
// (RFC 1951, 3.2.4).
import { deflateSync } from 'node:zlib';
import { ExperimentError } from '../../experiment-error';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** The most bytes one stored deflate block holds (its length field is 16 bits). */
const STORED_BLOCK_MAX = 0xffff;
/** PNG colour types: 0 greyscale, 2 RGB (truecolour). */
const COLOR_TYPE = { 1: 0, 3: 2 } as const;
/** Adler-32's modulus (RFC 1950). */
const ADLER_MOD = 65521;

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % ADLER_MOD;
    b = (b + a) % ADLER_MOD;
  }
  return ((b << 16) | a) >>> 0;
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const typed = new Uint8Array(4 + data.length);
  typed.set([...type].map((ch) => ch.charCodeAt(0)));
  typed.set(data, 4);
  const out = new Uint8Array(typed.length + 8);
  out.set(u32(data.length));
  out.set(typed, 4);
  out.set(u32(crc32(typed)), 4 + typed.length);
  return out;
}

/** A zlib stream of `raw` in stored blocks (no compression). */
function zlibStored(raw: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(raw.length / STORED_BLOCK_MAX));
  const out = new Uint8Array(2 + blocks * 5 + raw.length + 4);
  // CMF 0x78 (deflate, 32K window), FLG 0x01: (0x78 << 8 | 0x01) is a multiple of 31, no dictionary.
  out.set([0x78, 0x01]);
  let at = 2;
  for (let i = 0; i < blocks; i++) {
    const part = raw.subarray(i * STORED_BLOCK_MAX, (i + 1) * STORED_BLOCK_MAX);
    const last = i === blocks - 1 ? 1 : 0;
    out.set([last, part.length & 0xff, part.length >>> 8, ~part.length & 0xff, (~part.length >>> 8) & 0xff], at);
    out.set(part, at + 5);
    at += 5 + part.length;
  }
  out.set(u32(adler32(raw)), at);
  return out;
}

export interface PngOptions {
  /** Deflate the image data (node:zlib) instead of storing it: smaller files for larger images, the same pixels. */
  compress?: boolean;
}

/**
 * A PNG file of one image: `pixels` row-major, `channels` (1 grey or 3 RGB) bytes per pixel,
 * `width` x `height` pixels (NHWC uint8, as @curvad/datasets' ImageSets hold them).
 */
export function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3, options: PngOptions = {}): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ExperimentError(`encodePng: width and height must be positive integers (got ${width} x ${height}).`);
  }
  if (pixels.length !== width * height * channels) {
    throw new ExperimentError(
      `encodePng: ${pixels.length} bytes for a ${width} x ${height} image with ${channels} channel(s); expected ${width * height * channels}.`,
    );
  }
  const stride = width * channels;
  // Each row starts with its filter type byte; 0 = no filter.
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const header = Uint8Array.from([...u32(width), ...u32(height), 8, COLOR_TYPE[channels], 0, 0, 0]);
  const parts = [
    Uint8Array.from(SIGNATURE),
    chunk('IHDR', header),
    chunk('IDAT', options.compress ? deflateSync(raw) : zlibStored(raw)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `encodePng` as a data URI for an `<img src>` (the report stays one self-contained file). */
export function pngDataUri(pixels: Uint8Array, width: number, height: number, channels: 1 | 3, options: PngOptions = {}): string {
  return `data:image/png;base64,${Buffer.from(encodePng(pixels, width, height, channels, options)).toString('base64')}`;
}
