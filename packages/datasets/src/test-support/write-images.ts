// Test support: small image files in the official folder layouts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { encodeJpeg, encodePng } from '../readers/decode-image.js';

/** A deterministic h x w x c image whose pixel (y, x, ch) = (seed + 3y + 5x + 7ch) mod 256. */
export function patternImage(h: number, w: number, c: number, seed: number): Uint8Array {
  const out = new Uint8Array(h * w * c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) out[(y * w + x) * c + ch] = (seed + 3 * y + 5 * x + 7 * ch) % 256;
  return out;
}

export async function writePng(path: string, data: Uint8Array, h: number, w: number, c: 1 | 3): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, await encodePng(data, h, w, c));
}

export async function writeJpeg(path: string, data: Uint8Array, h: number, w: number, c: 1 | 3): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, await encodeJpeg(data, h, w, c));
}

/** A smooth gradient (seed + 2y + 2x + ch, no wrap-around): JPEG reproduces it within a few grey levels. */
export function smoothImage(h: number, w: number, c: number, seed: number): Uint8Array {
  const out = new Uint8Array(h * w * c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) out[(y * w + x) * c + ch] = Math.min(255, seed + 2 * y + 2 * x + ch);
  return out;
}
