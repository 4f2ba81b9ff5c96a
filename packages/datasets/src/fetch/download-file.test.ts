import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { type LocalServer, serveBytes, serveThenDrop, startServer } from '../test-support/local-server.js';
import { caught, useTempDir } from '../test-support/temp-dir.js';
import { type DownloadProgress, downloadFile } from './download-file.js';
import { formatProgress, progressBar } from './progress-bar.js';

const tempDir = useTempDir();
let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const BODY = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251);
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('downloadFile', () => {
  it('downloads, verifies, reports progress and renames into place; a second call is a cache hit', async () => {
    server = await startServer({ '/f.bin': serveBytes(BODY) });
    const dir = tempDir();
    const dest = join(dir, 'sub', 'f.bin');
    const progress: DownloadProgress[] = [];
    const result = await downloadFile({
      url: `${server.url}/f.bin`,
      dest,
      checksum: { algorithm: 'sha256', hex: sha256(BODY) },
      onProgress: (p) => progress.push(p),
    });
    expect(result).toEqual({ path: dest, cached: false, bytes: BODY.length, transferred: BODY.length, attempts: 1 });
    expect(md5(readFileSync(dest))).toBe(md5(BODY));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual({ file: 'f.bin', receivedBytes: BODY.length, totalBytes: BODY.length });
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.receivedBytes).toBeGreaterThan(progress[i - 1]!.receivedBytes);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['f.bin']);
    const again = await downloadFile({ url: `${server.url}/f.bin`, dest, checksum: { algorithm: 'md5', hex: md5(BODY) } });
    expect(again.cached).toBe(true);
    expect(server.hits.get('/f.bin')).toBe(1);
  });

  it('on a checksum mismatch throws, naming the URL and both digests, and leaves no file', async () => {
    server = await startServer({ '/f.bin': serveBytes(BODY) });
    const dir = tempDir();
    const dest = join(dir, 'f.bin');
    const wrong = '0'.repeat(32);
    const e = await caught(() => downloadFile({ url: `${server!.url}/f.bin`, dest, checksum: { algorithm: 'md5', hex: wrong } }));
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain(`${server.url}/f.bin`);
    expect(e.message).toContain(md5(BODY));
    expect(e.message).toContain(wrong);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('when the connection drops mid-download throws, never writes the destination and keeps one part to resume', async () => {
    server = await startServer({ '/f.bin': serveThenDrop(BODY, 50_000) });
    const dir = tempDir();
    const dest = join(dir, 'f.bin');
    const e = await caught(() =>
      downloadFile({ url: `${server!.url}/f.bin`, dest, checksum: { algorithm: 'md5', hex: md5(BODY) }, retries: 0 }),
    );
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toMatch(/after [1-9]\d* bytes.*Gave up after 1 attempt\./);
    expect(readdirSync(dir)).toEqual(['f.bin.part']);
    expect(existsSync(dest)).toBe(false);
  });

  it('replaces a corrupt cached file instead of trusting it', async () => {
    server = await startServer({ '/f.bin': serveBytes(BODY) });
    const dir = tempDir();
    const dest = join(dir, 'f.bin');
    writeFileSync(dest, 'stale half download');
    const r = await downloadFile({ url: `${server.url}/f.bin`, dest, checksum: { algorithm: 'md5', hex: md5(BODY) } });
    expect(r.cached).toBe(false);
    expect(md5(readFileSync(dest))).toBe(md5(BODY));
  });

  it('follows redirects and reports HTTP errors', async () => {
    server = await startServer({
      '/old': (_req, res) => {
        res.writeHead(302, { location: '/f.bin' });
        res.end();
      },
      '/f.bin': serveBytes(BODY),
    });
    const dir = tempDir();
    await downloadFile({ url: `${server.url}/old`, dest: join(dir, 'f.bin'), checksum: { algorithm: 'md5', hex: md5(BODY) } });
    expect(md5(readFileSync(join(dir, 'f.bin')))).toBe(md5(BODY));
    const e = await caught(() => downloadFile({ url: `${server!.url}/missing`, dest: join(dir, 'g.bin') }));
    expect(e.message).toMatch(/HTTP 404/);
    expect(existsSync(join(dir, 'g.bin'))).toBe(false);
  });

  it('offline (connection refused) says where to put the file and what provides it', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const dir = tempDir();
    const dest = join(dir, 'train-images-idx3-ubyte.gz');
    const e = await caught(() =>
      downloadFile({ url: `http://127.0.0.1:${port}/x.gz`, dest, offlineHint: 'apt-get install dataset-fashion-mnist provides it.' }),
    );
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain('ECONNREFUSED');
    expect(e.message).toContain(`put it at ${dest}`);
    expect(e.message).toContain('dataset-fashion-mnist');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('progress bar', () => {
  it('formats the fraction and sizes', () => {
    expect(formatProgress({ file: 'a.gz', receivedBytes: 3 * 1048576, totalBytes: 12 * 1048576 })).toBe(
      `[${'#'.repeat(8)}${'.'.repeat(22)}]  25%  3.0/12.0 MiB  a.gz`,
    );
    expect(formatProgress({ file: 'a.gz', receivedBytes: 1048576, totalBytes: undefined })).toBe('1.0 MiB  a.gz');
    let out = '';
    const bar = progressBar({ write: (s: string) => (out += s) });
    bar({ file: 'a', receivedBytes: 10, totalBytes: 10 });
    expect(out).toMatch(/^\r\[#{30}\] 100% .*a\n$/);
  });
});
