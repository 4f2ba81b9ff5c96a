import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { encodeIdxUint8 } from '../readers/idx.js';
import { fashionMnist } from '../readers/mnist-family.js';
import { type LocalServer, serveBytes, startServer } from '../test-support/local-server.js';
import { caught, useTempDir } from '../test-support/temp-dir.js';
import { DATASET_SOURCES } from './dataset-sources.js';
import { fetchDataset, fetchSource } from './fetch-dataset.js';

const tempDir = useTempDir();
let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
const quiet = { log: () => undefined };

/** A port on 127.0.0.1 that refuses connections (a server was there and closed), like a machine offline. */
async function refusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

describe('fetchSource', () => {
  it('downloads, verifies and extracts a tar.gz into the dataset folder; the second fetch downloads nothing', async () => {
    const work = tempDir();
    mkdirSync(join(work, 'src', 'cifar-10-batches-bin'), { recursive: true });
    writeFileSync(join(work, 'src', 'cifar-10-batches-bin', 'test_batch.bin'), new Uint8Array(3073).fill(1));
    execFileSync('tar', ['-czf', join(work, 'a.tar.gz'), '-C', join(work, 'src'), 'cifar-10-batches-bin']);
    const archive = readFileSync(join(work, 'a.tar.gz'));
    server = await startServer({ '/a.tar.gz': serveBytes(archive) });
    const root = join(work, 'cache');
    const source = {
      folder: 'cifar-10',
      offlineHint: 'hint',
      files: [
        {
          file: 'a.tar.gz',
          url: `${server.url}/a.tar.gz`,
          checksum: { algorithm: 'md5' as const, hex: md5(archive) },
          extract: 'tar' as const,
        },
      ],
    };
    const first = await fetchSource('toy', source, { root, ...quiet });
    expect(first.dir).toBe(join(root, 'cifar-10'));
    expect(first.files[0]!.cached).toBe(false);
    expect(readFileSync(join(root, 'cifar-10', 'cifar-10-batches-bin', 'test_batch.bin')).length).toBe(3073);
    expect(readdirSync(join(root, 'cifar-10')).sort()).toEqual(['a.tar.gz', 'a.tar.gz.extracted', 'cifar-10-batches-bin']);
    const second = await fetchSource('toy', source, { root, ...quiet });
    expect(second.files[0]!.cached).toBe(true);
    expect(server.hits.get('/a.tar.gz')).toBe(1);
  });

  it('refuses a file without a published checksum unless allowUnverified', async () => {
    const root = tempDir();
    const body = new Uint8Array([1, 2, 3]);
    server = await startServer({ '/u.bin': serveBytes(body) });
    const source = { folder: 'u', offlineHint: '', files: [{ file: 'u.bin', url: `${server.url}/u.bin` }] };
    await expect(fetchSource('u', source, { root, ...quiet })).rejects.toThrow(/no checksum is published.*allowUnverified/);
    const lines: string[] = [];
    const r = await fetchSource('u', source, { root, allowUnverified: true, log: (l) => lines.push(l) });
    expect(r.files[0]!.bytes).toBe(3);
    expect(lines.join('\n')).toMatch(/without a checksum/);
  });
});

describe('fetchDataset', () => {
  it('fetches Fashion-MNIST through a mirror and rejects files whose md5 is not the official one', async () => {
    const root = tempDir();
    const fake = gzipSync(encodeIdxUint8([1], new Uint8Array([3])));
    server = await startServer(Object.fromEntries(DATASET_SOURCES['fashion-mnist'].files.map((f) => [`/${f.file}`, serveBytes(fake)])));
    const e = await caught(() => fetchDataset('fashion-mnist', { root, mirror: `${server!.url}/`, ...quiet }));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain('train-images-idx3-ubyte.gz');
    expect(e.message).toContain('8d4fb7e6c68d591d4c3dfef9ec88bf0d');
    expect(readdirSync(join(root, 'fashion-mnist'))).toEqual([]);
  });

  it('writes where the readers look: the same folder and file names', async () => {
    expect(DATASET_SOURCES['fashion-mnist'].files.map((f) => f.file)).toEqual([
      'train-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz',
    ]);
    const root = tempDir();
    const dir = join(root, DATASET_SOURCES['fashion-mnist'].folder);
    mkdirSync(dir);
    writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(encodeIdxUint8([1, 2, 2], new Uint8Array(4))));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(encodeIdxUint8([1], new Uint8Array(1))));
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(encodeIdxUint8([1, 2, 2], new Uint8Array(4))));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(encodeIdxUint8([1], new Uint8Array(1))));
    expect((await fashionMnist({ split: 'test', dir })).shape).toEqual([1, 2, 2, 1]);
  });

  it('offline: names every file still to get, its URL and where to put it (issue 12, defect 10)', async () => {
    const root = tempDir();
    const port = await refusedPort();
    const e = await caught(() => fetchDataset('fashion-mnist', { root, mirror: `http://127.0.0.1:${port}`, ...quiet }));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain('ECONNREFUSED');
    expect(e.message).toContain('these 4 files');
    for (const f of DATASET_SOURCES['fashion-mnist'].files) {
      expect(e.message).toContain(`http://127.0.0.1:${port}/${f.file}\n    put it at ${join(root, 'fashion-mnist', f.file)}`);
    }
    expect(e.message).toContain('dataset-fashion-mnist');
  });

  it('an unverifiable dataset names the CLI flag and the library option (issue 12, defect 10)', async () => {
    const e = await caught(() => fetchDataset('iSUN', { root: tempDir(), ...quiet }));
    expect(e.message).toContain('curvad datasets fetch iSUN --allow-unverified');
    expect(e.message).toContain("fetchDataset('iSUN', { allowUnverified: true })");
  });

  it('a root under a regular file: one DatasetError naming the file and what to do, nothing downloaded (issue 12, defect 3)', async () => {
    const work = tempDir();
    writeFileSync(join(work, 'plain-file'), 'x');
    const root = join(work, 'plain-file', 'data');
    const e = await caught(() => fetchDataset('mnist', { root, mirror: 'http://127.0.0.1:9', ...quiet }));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toBe(
      `Cannot download into ${join(root, 'mnist')}: ${join(work, 'plain-file')} is a file, not a folder. Pass a writable folder as --dir (curvad) / root (fetchDataset).`,
    );
  });

  it('force downloads and extracts again what is already in place', async () => {
    const body = new Uint8Array([5, 6, 7]);
    server = await startServer({ '/v.bin': serveBytes(body) });
    const source = {
      folder: 'v',
      offlineHint: '',
      files: [{ file: 'v.bin', url: `${server.url}/v.bin`, checksum: { algorithm: 'md5' as const, hex: md5(body) } }],
    };
    const root = tempDir();
    await fetchSource('v', source, { root, ...quiet });
    expect((await fetchSource('v', source, { root, ...quiet })).files[0]!.cached).toBe(true);
    const forced = await fetchSource('v', source, { root, force: true, ...quiet });
    expect(forced.files[0]).toMatchObject({ cached: false, transferred: 3 });
    expect(server.hits.get('/v.bin')).toBe(2);
  });

  it('rejects an unknown dataset name with the known ones', async () => {
    await expect(fetchDataset('imagenet' as 'mnist', quiet)).rejects.toThrow(/unknown dataset "imagenet".*fashion-mnist/);
  });
});
