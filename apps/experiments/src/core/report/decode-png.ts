// A PNG reader for the tests of report images: it reads what encodePng writes (8-bit greyscale or
// RGB, one IDAT chunk, filter type 0 on every row), stored or deflated, and refuses anything else.
// Independent of the writer: chunk CRCs are checked with node:zlib's crc32 and the image data is
// inflated by node:zlib (which checks the Adler-32), so a test comparing decoded pixels with the
// pixels it meant to draw checks the writer too.
import { crc32, inflateSync } from 'node:zlib';
import { ExperimentError } from '../../experiment-error';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** PNG colour types encodePng writes: 0 greyscale (1 channel), 2 RGB (3 channels). */
const CHANNELS: Record<number, 1 | 3> = { 0: 1, 2: 3 };

export interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  channels: 1 | 3;
  /** Row-major, `channels` bytes a pixel. */
  pixels: Uint8Array;
}

function fail(reason: string): never {
  throw new ExperimentError(`decodePng: ${reason} (it reads only what encodePng writes).`);
}

/** The image of a PNG file written by encodePng. */
export function decodePng(png: Uint8Array): DecodedPng {
  if (SIGNATURE.some((b, i) => png[i] !== b)) fail('no PNG signature');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: { type: string; data: Uint8Array }[] = [];
  for (let at = SIGNATURE.length; at < png.length; ) {
    const length = view.getUint32(at);
    const typed = png.subarray(at + 4, at + 8 + length);
    const type = String.fromCharCode(...typed.subarray(0, 4));
    if (view.getUint32(at + 8 + length) !== crc32(typed)) fail(`the CRC of chunk ${type} is wrong`);
    chunks.push({ type, data: typed.subarray(4) });
    at += 12 + length;
  }
  const types = chunks.map((c) => c.type).join(', ');
  if (types !== 'IHDR, IDAT, IEND') fail(`chunks ${types}, expected IHDR, IDAT, IEND`);
  const header = chunks[0]!.data;
  const headerView = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const width = headerView.getUint32(0);
  const height = headerView.getUint32(4);
  const bitDepth = header[8]!;
  const colorType = header[9]!;
  const channels = CHANNELS[colorType];
  if (bitDepth !== 8 || channels === undefined) fail(`bit depth ${bitDepth}, colour type ${colorType}`);
  const raw = inflateSync(chunks[1]!.data);
  const stride = width * channels;
  if (raw.length !== height * (stride + 1)) fail(`${raw.length} bytes of image data for ${width} x ${height} x ${channels}`);
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    if (filter !== 0) fail(`row ${y} has filter type ${filter}`);
    pixels.set(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
  }
  return { width, height, bitDepth, colorType, channels, pixels };
}

/** The PNG of an `<img src="data:image/png;base64,...">` data URI, decoded. */
export function decodePngDataUri(uri: string): DecodedPng {
  const prefix = 'data:image/png;base64,';
  if (!uri.startsWith(prefix)) fail(`'${uri.slice(0, 30)}...' is not a PNG data URI`);
  return decodePng(new Uint8Array(Buffer.from(uri.slice(prefix.length), 'base64')));
}
