import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from './errors.js';

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Reads a file whole, gunzipping it when it starts with the gzip magic bytes (whatever its name). */
export async function readMaybeGzip(path: string): Promise<Uint8Array> {
  return (await readStoredAndContent(path)).content;
}

/**
 * Reads a file whole: `stored` is its bytes as on disk (what a checksum covers), `content` the same
 * bytes gunzipped when they start with the gzip magic bytes (whatever the file's name).
 */
export async function readStoredAndContent(path: string): Promise<{ stored: Uint8Array; content: Uint8Array }> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (cause) {
    throw new DatasetError(`Cannot read ${path}: ${(cause as Error).message}.`, { path, cause });
  }
  if (raw.length >= 2 && raw[0] === GZIP_MAGIC[0] && raw[1] === GZIP_MAGIC[1]) {
    try {
      const out = gunzipSync(raw);
      return { stored: raw, content: new Uint8Array(out.buffer, out.byteOffset, out.length) };
    } catch (cause) {
      throw new DatasetError(
        `${path} starts like a gzip file but does not decompress (${(cause as Error).message}): the download is probably truncated; delete it and fetch it again.`,
        { path, cause },
      );
    }
  }
  const stored = new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
  return { stored, content: stored };
}
