// Cheap checks that a data file is whole, without reading it: for `curvad datasets list` and other
// "is it installed?" questions. A full read (150 MB for CIFAR-10) is the readers' job.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';

export type FileCheck = { ok: true } | { ok: false; reason: string };

/** Enough compressed bytes to hold an IDX header (4 + 4 * rank bytes) after gunzip. */
const HEADER_PROBE_BYTES = 4096;
const GZIP_TRAILER_BYTES = 4;

function readAt(path: string, position: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = readSync(fd, buf, 0, length, position);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function fileSize(path: string): number | FileCheck {
  try {
    return statSync(path).size;
  } catch (e) {
    return { ok: false, reason: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
}

/**
 * An IDX uint8 file of rank `rank` (raw or gzipped) whose length matches its header: magic
 * `00 00 08 <rank>`, the dims, and header + product(dims) bytes (for a gzip file, the size its
 * trailer records, which is the uncompressed size modulo 2^32).
 */
export function checkIdxFile(path: string, rank: number): FileCheck {
  const size = fileSize(path);
  if (typeof size !== 'number') return size;
  if (size === 0) return { ok: false, reason: 'is empty' };
  const head = readAt(path, 0, Math.min(size, HEADER_PROBE_BYTES));
  const gzipped = head[0] === 0x1f && head[1] === 0x8b;
  let header: Buffer;
  let dataSize: number;
  if (gzipped) {
    try {
      header = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return { ok: false, reason: 'is a corrupt gzip file' };
    }
    dataSize = size < 18 ? 0 : readAt(path, size - GZIP_TRAILER_BYTES, GZIP_TRAILER_BYTES).readUInt32LE(0);
  } else {
    header = head;
    dataSize = size;
  }
  const headerBytes = 4 + 4 * rank;
  if (header.length < headerBytes || header[0] !== 0 || header[1] !== 0 || header[2] !== 0x08 || header[3] !== rank) {
    return { ok: false, reason: `is not an IDX uint8 file of rank ${rank} (expected magic 00 00 08 0${rank})` };
  }
  let expected = headerBytes;
  let count = 1;
  for (let i = 0; i < rank; i++) count *= header.readUInt32BE(4 + 4 * i);
  expected += count;
  const comparable = gzipped ? expected % 2 ** 32 : expected;
  if (dataSize !== comparable)
    return {
      ok: false,
      reason: `is truncated or corrupt (${gzipped ? 'unpacks to' : 'holds'} ${dataSize} bytes, its header needs ${expected})`,
    };
  return { ok: true };
}

/** A CIFAR binary batch: a non-empty whole number of `recordBytes`-byte records. */
export function checkRecordFile(path: string, recordBytes: number): FileCheck {
  const size = fileSize(path);
  if (typeof size !== 'number') return size;
  if (size === 0) return { ok: false, reason: 'is empty' };
  if (size % recordBytes !== 0)
    return { ok: false, reason: `is truncated or corrupt (${size} bytes is not a whole number of ${recordBytes}-byte records)` };
  return { ok: true };
}
