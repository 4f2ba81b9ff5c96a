import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { caught, useTempDir } from '../test-support/temp-dir.js';
import { cifar10, cifar100 } from './cifar.js';

const tempDir = useTempDir();
const PLANE = 1024;

/** A record whose red plane holds (i + p) mod 256, green (2i + p), blue (3i + p), p = 32 y + x. */
function record(i: number, labels: number[]): Uint8Array {
  const r = new Uint8Array(labels.length + 3 * PLANE);
  r.set(labels);
  for (let p = 0; p < PLANE; p++) {
    r[labels.length + p] = (i + p) % 256;
    r[labels.length + PLANE + p] = (2 * i + p) % 256;
    r[labels.length + 2 * PLANE + p] = (3 * i + p) % 256;
  }
  return r;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Five one-record train batches, so that a folder under test holds the complete dataset. */
function writeCifar10TrainBatches(dir: string): void {
  for (let b = 1; b <= 5; b++) writeFileSync(join(dir, `data_batch_${b}.bin`), record(b, [b]));
}

function expectPixels(images: Uint8Array, i: number, recordId: number): void {
  for (const p of [0, 1, 33, 500, 1023]) {
    const y = Math.floor(p / 32);
    const x = p % 32;
    const at = ((i * 32 + y) * 32 + x) * 3;
    expect([images[at], images[at + 1], images[at + 2]]).toEqual([
      (recordId + p) % 256,
      (2 * recordId + p) % 256,
      (3 * recordId + p) % 256,
    ]);
  }
}

describe('cifar10', () => {
  it('reads the five train batches in order and turns planar CHW into NHWC', async () => {
    const root = tempDir();
    const dir = join(root, 'cifar-10-batches-bin');
    mkdirSync(dir);
    for (let b = 1; b <= 5; b++) writeFileSync(join(dir, `data_batch_${b}.bin`), concat([record(10 * b, [b]), record(10 * b + 1, [9])]));
    writeFileSync(join(dir, 'test_batch.bin'), record(77, [3]));
    const train = await cifar10({ split: 'train', dir: root });
    expect(train.shape).toEqual([10, 32, 32, 3]);
    expect(Array.from(train.labels)).toEqual([1, 9, 2, 9, 3, 9, 4, 9, 5, 9]);
    expectPixels(train.images, 0, 10);
    expectPixels(train.images, 9, 51);
    const test = await cifar10({ split: 'test', dir });
    expect(test.shape).toEqual([1, 32, 32, 3]);
    expect(train.sourceFiles!.map((f) => f.path)).toEqual([1, 2, 3, 4, 5].map((b) => join(dir, `data_batch_${b}.bin`)));
    const stored = readFileSync(join(dir, 'test_batch.bin'));
    expect(test.sourceFiles).toEqual([
      { path: join(dir, 'test_batch.bin'), bytes: stored.length, sha256: createHash('sha256').update(stored).digest('hex') },
    ]);
    expect(test.classNames?.[3]).toBe('cat');
    expectPixels(test.images, 0, 77);
  });

  it('rejects a truncated batch and an out-of-range label, naming the file', async () => {
    const dir = tempDir();
    writeCifar10TrainBatches(dir);
    writeFileSync(join(dir, 'test_batch.bin'), concat([record(0, [1]), record(1, [2])]).subarray(0, 3073 + 100));
    let e = await caught(() => cifar10({ split: 'test', dir }));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain(join(dir, 'test_batch.bin'));
    expect(e.message).toMatch(/3173 bytes is not a whole number of 3073-byte CIFAR records/);
    writeFileSync(join(dir, 'test_batch.bin'), record(0, [10]));
    e = await caught(() => cifar10({ split: 'test', dir }));
    expect(e.message).toMatch(/label 10 at index 0 is outside CIFAR-10 classes 0\.\.9/);
  });

  it('reads both splits from one folder: a folder missing a train batch is refused, naming it (issue 12, defect 7)', async () => {
    const root = tempDir();
    const dir = join(root, 'cifar-10-batches-bin');
    mkdirSync(dir);
    writeCifar10TrainBatches(dir);
    writeFileSync(join(dir, 'test_batch.bin'), record(1, [1]));
    rmSync(join(dir, 'data_batch_4.bin'));
    const e = await caught(() => cifar10({ split: 'test', dir: root }));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain(`${dir} holds only part of the dataset (missing: data_batch_4.bin)`);
  });

  it('says which files it looked for', async () => {
    const dir = tempDir();
    const e = await caught(() => cifar10({ split: 'train', dir }));
    expect(e.message).toContain('data_batch_1.bin');
    expect(e.message).toContain(join(dir, 'cifar-10-batches-bin'));
  });
});

describe('cifar100', () => {
  it('returns fine and coarse labels and picks one for labels', async () => {
    const dir = join(tempDir(), 'cifar-100-binary');
    mkdirSync(dir);
    writeFileSync(join(dir, 'test.bin'), concat([record(5, [19, 99]), record(6, [0, 42])]));
    writeFileSync(join(dir, 'train.bin'), record(1, [0, 0]));
    const fine = await cifar100({ split: 'test', dir });
    expect(Array.from(fine.fineLabels)).toEqual([99, 42]);
    expect(Array.from(fine.coarseLabels)).toEqual([19, 0]);
    expect(Array.from(fine.labels)).toEqual([99, 42]);
    expectPixels(fine.images, 1, 6);
    const coarse = await cifar100({ split: 'test', dir, labels: 'coarse' });
    expect(Array.from(coarse.labels)).toEqual([19, 0]);
  });

  it('rejects a CIFAR-10 file read as CIFAR-100 (wrong record length) and a coarse label above 19', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'train.bin'), record(1, [0, 0]));
    writeFileSync(join(dir, 'test.bin'), concat([record(0, [1]), record(1, [1])]));
    await expect(cifar100({ split: 'test', dir })).rejects.toThrow(/3074-byte CIFAR records/);
    writeFileSync(join(dir, 'test.bin'), record(0, [20, 5]));
    await expect(cifar100({ split: 'test', dir })).rejects.toThrow(/label 20 at index 0 is outside CIFAR-100 coarse classes 0\.\.19/);
  });
});
