// Timeouts, retries and resume of downloadFile (issue 12, defect 2), against local servers only.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import {
  type LocalServer,
  serveBytes,
  serveRanges,
  serveThenDrop,
  serveThenStall,
  startServer,
  startSilentServer,
} from '../test-support/local-server.js';
import { caught, useTempDir } from '../test-support/temp-dir.js';
import { downloadFile } from './download-file.js';

const tempDir = useTempDir();
let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const BODY = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919 + 13) % 253);
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
const checksum = { algorithm: 'md5' as const, hex: md5(BODY) };
/** Fast settings: each test finishes in well under a second. */
const FAST = { connectTimeoutMs: 150, idleTimeoutMs: 150, retryDelayMs: 10 };

describe('downloadFile timeouts and retries', () => {
  it('a server that accepts and never answers: connect timeout, bounded retries, a message naming the URL, the timeout and what to do', async () => {
    server = await startSilentServer();
    const dir = tempDir();
    const url = `${server.url}/f.bin`;
    const started = Date.now();
    const e = await caught(() => downloadFile({ url, dest: join(dir, 'f.bin'), checksum, ...FAST, retries: 2 }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(DatasetError.isInstance(e)).toBe(true);
    expect(e.message).toContain(url);
    expect(e.message).toContain('no answer within 150 ms (connectTimeoutMs)');
    expect(e.message).toContain('Gave up after 3 attempts');
    expect(e.message).toMatch(/raise the timeouts .*--connect-timeout.*download .* by hand and put it at/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a body that stalls mid-way: idle timeout per attempt, one .part file whatever the number of attempts', async () => {
    server = await startServer({ '/f.bin': serveThenStall(BODY, 30_000) });
    const dir = tempDir();
    const e = await caught(() => downloadFile({ url: `${server!.url}/f.bin`, dest: join(dir, 'f.bin'), checksum, ...FAST, retries: 2 }));
    expect(e.message).toContain('no data for 150 ms (idleTimeoutMs) after 30000 bytes of 100000');
    expect(e.message).toContain(`kept in ${join(dir, 'f.bin.part')}`);
    expect(server.hits.get('/f.bin')).toBe(3);
    expect(readdirSync(dir)).toEqual(['f.bin.part']);
  });

  it('does not retry an HTTP 404 and retries a 503', async () => {
    let calls = 0;
    server = await startServer({
      '/flaky': (req, res) => {
        calls++;
        if (calls === 1) {
          res.writeHead(503);
          res.end();
        } else serveBytes(BODY)(req, res);
      },
    });
    const dir = tempDir();
    const ok = await downloadFile({ url: `${server.url}/flaky`, dest: join(dir, 'f.bin'), checksum, ...FAST });
    expect(ok.attempts).toBe(2);
    await expect(downloadFile({ url: `${server.url}/missing`, dest: join(dir, 'g.bin'), ...FAST })).rejects.toThrow(/HTTP 404/);
    expect(server.hits.get('/missing')).toBe(1);
  });
});

describe('downloadFile resume', () => {
  it('resumes a dropped download with a Range request: the retry transfers only the remaining bytes', async () => {
    const { route, log } = serveRanges(BODY, { dropFirstAfter: 40_000 });
    server = await startServer({ '/f.bin': route });
    const dir = tempDir();
    const result = await downloadFile({ url: `${server.url}/f.bin`, dest: join(dir, 'f.bin'), checksum, ...FAST });
    expect(log.ranges).toEqual([undefined, 'bytes=40000-']);
    expect(log.sent).toEqual([40_000, 60_000]);
    expect(result).toMatchObject({ cached: false, bytes: BODY.length, transferred: BODY.length, attempts: 2 });
    expect(md5(readFileSync(join(dir, 'f.bin')))).toBe(md5(BODY));
    expect(readdirSync(dir)).toEqual(['f.bin']);
  });

  it('resumes the .part a killed run left, and replaces the per-attempt parts of older versions', async () => {
    const { route, log } = serveRanges(BODY);
    server = await startServer({ '/f.bin': route });
    const dir = tempDir();
    writeFileSync(join(dir, 'f.bin.part'), BODY.subarray(0, 70_000));
    writeFileSync(join(dir, 'f.bin.0123456789ab.part'), BODY.subarray(0, 10));
    const result = await downloadFile({ url: `${server.url}/f.bin`, dest: join(dir, 'f.bin'), checksum, ...FAST });
    expect(log.ranges).toEqual(['bytes=70000-']);
    expect(result.transferred).toBe(30_000);
    expect(readdirSync(dir)).toEqual(['f.bin']);
    expect(md5(readFileSync(join(dir, 'f.bin')))).toBe(md5(BODY));
  });

  it('a part already complete (416 with the same total) is verified and renamed without a transfer', async () => {
    const { route, log } = serveRanges(BODY);
    server = await startServer({ '/f.bin': route });
    const dir = tempDir();
    writeFileSync(join(dir, 'f.bin.part'), BODY);
    const result = await downloadFile({ url: `${server.url}/f.bin`, dest: join(dir, 'f.bin'), checksum, ...FAST });
    expect(log.ranges).toEqual([`bytes=${BODY.length}-`]);
    expect(result.transferred).toBe(0);
    expect(readdirSync(dir)).toEqual(['f.bin']);
  });

  it('a part longer than the file (416 with another total) is discarded and the download restarts', async () => {
    const { route, log } = serveRanges(BODY);
    server = await startServer({ '/f.bin': route });
    const dir = tempDir();
    writeFileSync(join(dir, 'f.bin.part'), new Uint8Array(BODY.length + 5));
    const result = await downloadFile({ url: `${server.url}/f.bin`, dest: join(dir, 'f.bin'), checksum, ...FAST });
    expect(log.ranges).toEqual([`bytes=${BODY.length + 5}-`, undefined]);
    expect(result.transferred).toBe(BODY.length);
    expect(md5(readFileSync(join(dir, 'f.bin')))).toBe(md5(BODY));
  });

  it('a server that ignores Range (200) restarts the part cleanly from zero', async () => {
    server = await startServer({ '/f.bin': serveBytes(BODY) });
    const dir = tempDir();
    // a stale part whose bytes are NOT the file's: appending to it would corrupt the result
    writeFileSync(join(dir, 'f.bin.part'), new Uint8Array(50_000).fill(9));
    const result = await downloadFile({ url: `${server.url}/f.bin`, dest: join(dir, 'f.bin'), checksum, ...FAST });
    expect(result.transferred).toBe(BODY.length);
    expect(md5(readFileSync(join(dir, 'f.bin')))).toBe(md5(BODY));
    expect(readdirSync(dir)).toEqual(['f.bin']);
  });

  it('a resumed file whose checksum is wrong: the part is deleted, the error names both digests and what to do', async () => {
    const { route } = serveRanges(BODY);
    server = await startServer({ '/f.bin': route });
    const dir = tempDir();
    writeFileSync(join(dir, 'f.bin.part'), new Uint8Array(60_000).fill(1));
    const e = await caught(() => downloadFile({ url: `${server!.url}/f.bin`, dest: join(dir, 'f.bin'), checksum, ...FAST }));
    expect(e.message).toContain(checksum.hex);
    expect(e.message).toMatch(/partial file was deleted.*fetch again/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a server ignoring Range that keeps dropping: every attempt restarts the one part, none piles up', async () => {
    server = await startServer({ '/f.bin': serveThenDrop(BODY, 20_000) });
    const dir = tempDir();
    const e = await caught(() => downloadFile({ url: `${server!.url}/f.bin`, dest: join(dir, 'f.bin'), checksum, ...FAST, retries: 3 }));
    expect(e.message).toMatch(/connection closed after 20000 bytes of 100000/);
    expect(e.message).toContain('Gave up after 4 attempts');
    expect(readdirSync(dir)).toEqual(['f.bin.part']);
    expect(readFileSync(join(dir, 'f.bin.part')).length).toBe(20_000);
  });
});
