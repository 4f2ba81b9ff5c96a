import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { encodePng, pngDataUri } from './png';

interface Decoded {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  pixels: Uint8Array;
}

/** An independent reader: chunks with their CRCs checked by node:zlib, the image data inflated by zlib (Adler-32 checked). */
function decodePng(png: Uint8Array): Decoded {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: { type: string; data: Uint8Array }[] = [];
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const typed = png.subarray(at + 4, at + 8 + length);
    expect(view.getUint32(at + 8 + length)).toBe(crc32(typed));
    chunks.push({ type: String.fromCharCode(...typed.subarray(0, 4)), data: typed.subarray(4) });
    at += 12 + length;
  }
  expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  const header = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset);
  const width = header.getUint32(0);
  const height = header.getUint32(4);
  const colorType = chunks[0]!.data[9]!;
  const channels = colorType === 2 ? 3 : 1;
  const raw = inflateSync(chunks[1]!.data);
  const stride = width * channels;
  expect(raw.length).toBe(height * (stride + 1));
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (stride + 1)]).toBe(0);
    pixels.set(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
  }
  return { width, height, bitDepth: chunks[0]!.data[8]!, colorType, pixels };
}

function noise(n: number, seed: number): Uint8Array {
  let s = seed;
  return Uint8Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s & 0xff;
  });
}

describe('encodePng', () => {
  test('a 28x28 greyscale image decodes back to its pixels', () => {
    const pixels = noise(28 * 28, 1);
    const decoded = decodePng(encodePng(pixels, 28, 28, 1));
    expect(decoded).toMatchObject({ width: 28, height: 28, bitDepth: 8, colorType: 0 });
    expect(decoded.pixels).toEqual(pixels);
  });

  test('RGB, not square', () => {
    const pixels = noise(5 * 3 * 3, 2);
    const decoded = decodePng(encodePng(pixels, 5, 3, 3));
    expect(decoded).toMatchObject({ width: 5, height: 3, colorType: 2 });
    expect(decoded.pixels).toEqual(pixels);
  });

  test('image data longer than one stored deflate block (65,535 bytes)', () => {
    const pixels = noise(160 * 160 * 3, 3);
    const decoded = decodePng(encodePng(pixels, 160, 160, 3));
    // Buffer.equals: toEqual walks 76,800 elements slowly.
    expect(Buffer.from(decoded.pixels).equals(Buffer.from(pixels))).toBe(true);
  });

  test('the data URI carries the same bytes; a wrong pixel count is refused with the expected count', () => {
    const pixels = noise(4, 4);
    const uri = pngDataUri(pixels, 2, 2, 1);
    expect(uri.startsWith('data:image/png;base64,')).toBe(true);
    expect(new Uint8Array(Buffer.from(uri.split(',')[1]!, 'base64'))).toEqual(encodePng(pixels, 2, 2, 1));
    expect(() => encodePng(pixels, 3, 2, 1)).toThrow(/4 bytes for a 3 x 2 image with 1 channel\(s\); expected 6/);
  });
});
