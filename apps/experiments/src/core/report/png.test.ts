import { describe, expect, test } from 'vitest';
import { decodePng } from './decode-png';
import { encodePng, pngDataUri } from './png';

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

  test('compress: the same pixels, deflated; fewer bytes for an image of a few colours', () => {
    const pixels = Uint8Array.from({ length: 128 * 128 * 3 }, (_, i) => (Math.floor(i / (3 * 128 * 16)) * 30) % 256);
    const stored = encodePng(pixels, 128, 128, 3);
    const deflated = encodePng(pixels, 128, 128, 3, { compress: true });
    expect(Buffer.from(decodePng(deflated).pixels).equals(Buffer.from(pixels))).toBe(true);
    expect(deflated.length).toBeLessThan(stored.length / 20);
    // Noise does not compress, yet reads back the same.
    const rough = noise(40 * 30, 5);
    expect(decodePng(encodePng(rough, 40, 30, 1, { compress: true })).pixels).toEqual(rough);
  });

  test('the test reader refuses a damaged file, naming the chunk', () => {
    const png = encodePng(noise(4, 6), 2, 2, 1);
    png[png.length - 20]! ^= 1;
    expect(() => decodePng(png)).toThrow(/the CRC of chunk IDAT is wrong/);
  });

  test('the data URI carries the same bytes; a wrong pixel count is refused with the expected count', () => {
    const pixels = noise(4, 4);
    const uri = pngDataUri(pixels, 2, 2, 1);
    expect(uri.startsWith('data:image/png;base64,')).toBe(true);
    expect(new Uint8Array(Buffer.from(uri.split(',')[1]!, 'base64'))).toEqual(encodePng(pixels, 2, 2, 1));
    expect(() => encodePng(pixels, 3, 2, 1)).toThrow(/4 bytes for a 3 x 2 image with 1 channel\(s\); expected 6/);
  });
});
