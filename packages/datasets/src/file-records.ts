// Provenance records (path, size, SHA-256) of the files a reader read, for results files.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { DatasetError } from './errors.js';
import type { DataFileRecord } from './image-set.js';

/**
 * Digests by path, valid while the file keeps its size and mtime: a second load of the same data in
 * one process (train then test, or every trial of an experiment) costs a stat, not a rehash.
 */
const digestCache = new Map<string, { bytes: number; mtimeMs: number; sha256: string }>();

async function statFile(path: string): Promise<{ size: number; mtimeMs: number }> {
  try {
    return await stat(path);
  } catch (cause) {
    throw new DatasetError(`Cannot read ${path} to record its checksum: ${(cause as Error).message}.`, { path, cause });
  }
}

function streamSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  return new Promise((resolveDigest, reject) => {
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolveDigest(hash.digest('hex')))
      .on('error', (cause) => reject(new DatasetError(`Cannot read ${path} to record its checksum: ${cause.message}.`, { path, cause })));
  });
}

/**
 * The record of one file. Pass `storedBytes` (the file's bytes exactly as read from disk) when the
 * reader has them in memory already, so the file is not read a second time.
 */
export async function recordFile(path: string, storedBytes?: Uint8Array): Promise<DataFileRecord> {
  const { size, mtimeMs } = await statFile(path);
  const cached = digestCache.get(path);
  if (cached !== undefined && cached.bytes === size && cached.mtimeMs === mtimeMs) return { path, bytes: size, sha256: cached.sha256 };
  const sha256 =
    storedBytes !== undefined && storedBytes.length === size
      ? createHash('sha256').update(storedBytes).digest('hex')
      : await streamSha256(path);
  digestCache.set(path, { bytes: size, mtimeMs, sha256 });
  return { path, bytes: size, sha256 };
}

/**
 * One record for a folder of many files (an image folder): `path` is the folder, `bytes` the total
 * size of `files`, and `sha256` the digest of the lines `<relative name>\t<sha256 of its bytes>\n`
 * over the files sorted by relative name (with `/` separators), so renaming, adding, dropping or
 * changing any file changes it, and it is the same on every machine.
 */
export async function recordFolder(folder: string, files: readonly string[]): Promise<DataFileRecord> {
  const entries = files
    .map((file) => ({ file, name: relative(folder, file).split(sep).join('/') }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const hash = createHash('sha256');
  let bytes = 0;
  for (const { file, name } of entries) {
    const record = await recordFile(file);
    bytes += record.bytes;
    hash.update(`${name}\t${record.sha256}\n`);
  }
  return { path: folder, bytes, sha256: hash.digest('hex') };
}

/** Forgets every cached digest (tests that rewrite a file within one mtime tick use it). */
export function clearDigestCache(): void {
  digestCache.clear();
}
