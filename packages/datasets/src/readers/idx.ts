// The IDX format of LeCun et al.'s MNIST distribution (also used by Fashion-MNIST): a 4-byte magic
// number 0x00 0x00 <type> <rank>, then <rank> big-endian uint32 dimensions, then the data, big-endian.
import { DatasetError } from '../errors.js';
import { recordFile } from '../file-records.js';
import type { DataFileRecord } from '../image-set.js';
import { readMaybeGzip, readStoredAndContent } from '../read-bytes.js';

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  dims: number[];
  data: IdxData;
}

const IDX_TYPES: Record<number, { name: string; bytes: number }> = {
  8: { name: 'uint8', bytes: 1 },
  9: { name: 'int8', bytes: 1 },
  11: { name: 'int16', bytes: 2 },
  12: { name: 'int32', bytes: 4 },
  13: { name: 'float32', bytes: 4 },
  14: { name: 'float64', bytes: 8 },
};

/** Parses IDX bytes (already gunzipped). `file` only names the source in error messages. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) {
    throw new DatasetError(`${file}: ${bytes.length} bytes is too short for an IDX file (expected a 4-byte magic number and a header).`, {
      path: file,
    });
  }
  const type = IDX_TYPES[bytes[2]!];
  const rank = bytes[3]!;
  if (bytes[0] !== 0 || bytes[1] !== 0 || type === undefined || rank === 0) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DatasetError(
      `${file}: wrong magic number ${magic}; expected an IDX file (00 00 <type 08|09|0b|0c|0d|0e> <rank>, e.g. 00 00 08 03 for images, 00 00 08 01 for labels).`,
      { path: file },
    );
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new DatasetError(`${file}: truncated IDX header (${bytes.length} bytes, expected ${headerBytes} for rank ${rank}).`, {
      path: file,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * type.bytes;
  if (bytes.length !== expected) {
    throw new DatasetError(
      `${file}: ${bytes.length} bytes, but an IDX ${type.name} array of dims [${dims.join(', ')}] needs exactly ${expected}; the file is ${bytes.length < expected ? 'truncated' : 'followed by extra bytes'}. Delete it and fetch it again.`,
      { path: file },
    );
  }
  return { dims, data: decodeValues(view, headerBytes, count, bytes[2]!) };
}

function decodeValues(view: DataView, offset: number, count: number, type: number): IdxData {
  switch (type) {
    case 0x08:
      return new Uint8Array(view.buffer, view.byteOffset + offset, count).slice();
    case 0x09:
      return new Int8Array(view.buffer, view.byteOffset + offset, count).slice();
    case 0x0b: {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 0x0c: {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 0x0d: {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    default: {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/** Reads an IDX file, raw or gzipped. */
export async function readIdx(path: string): Promise<IdxArray> {
  return parseIdx(await readMaybeGzip(path), path);
}

/**
 * Reads an IDX file that must hold uint8 values of rank `rank` (images: 3, labels: 1), with the
 * provenance record of the file as stored (gzipped or not).
 */
export async function readIdxUint8(path: string, rank: number): Promise<{ dims: number[]; data: Uint8Array; record: DataFileRecord }> {
  const { stored, content } = await readStoredAndContent(path);
  const idx = parseIdx(content, path);
  if (!(idx.data instanceof Uint8Array) || idx.dims.length !== rank) {
    throw new DatasetError(
      `${path}: expected an IDX uint8 array of rank ${rank} (magic 00 00 08 0${rank}), got ${idx.data.constructor.name} of rank ${idx.dims.length}.`,
      { path },
    );
  }
  return { dims: idx.dims, data: idx.data, record: await recordFile(path, stored) };
}

/** Encodes a uint8 array as IDX bytes (raw); tests and tools use it to write files in the official format. */
export function encodeIdxUint8(dims: readonly number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  out.set(data, 4 + 4 * dims.length);
  return out;
}
