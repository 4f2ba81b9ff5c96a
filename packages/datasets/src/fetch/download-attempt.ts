// One attempt at a download into `<dest>.part`: resumed with an HTTP Range request when the part
// holds bytes and the server answers 206, restarted from zero on a 200.
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { DatasetError } from '../errors.js';
import { httpGetResponse, TransientDownloadError } from './http-get.js';

export interface AttemptOptions {
  url: string;
  /** The one partial file of this target. */
  part: string;
  /** Name shown in progress reports. */
  file: string;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  onProgress?: (progress: { file: string; receivedBytes: number; totalBytes: number | undefined }) => void;
  /** Called with the size of every chunk received, failed attempts' included. */
  onData?: (bytes: number) => void;
}

/** HTTP statuses worth another attempt: the server is busy or failing now, not the URL wrong. */
const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

// Content-Range: "bytes 100-199/200" on a 206, "bytes */200" on a 416; a "*" total means unknown.
function parseContentRange(header: string | undefined): { start: number | undefined; total: number | undefined } {
  const match = /^bytes (?:(\d+)-\d+|\*)\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (match === null) return { start: undefined, total: undefined };
  return { start: match[1] === undefined ? undefined : Number(match[1]), total: match[2] === '*' ? undefined : Number(match[2]) };
}

/**
 * Runs one attempt. Resolves when the part holds the whole file (as far as the server announced
 * its length). Rejects with a TransientDownloadError when another attempt may succeed (the part is
 * kept, to be resumed), or another DatasetError when it will not.
 */
export async function downloadAttempt(options: AttemptOptions): Promise<void> {
  const { url, part } = options;
  const offset = await sizeOf(part);
  const res = await httpGetResponse(url, { rangeStart: offset, connectTimeoutMs: options.connectTimeoutMs });
  const status = res.statusCode ?? 0;
  if (status === 416) {
    res.resume();
    const { total } = parseContentRange(res.headers['content-range']);
    // The part already holds the whole file (a run killed between the last byte and the rename).
    if (total !== undefined && total === offset) return;
    await rm(part, { force: true });
    throw new TransientDownloadError(
      `${url}: the server refused to resume from byte ${offset} (HTTP 416); the partial file was discarded and the download restarts.`,
      { path: url },
    );
  }
  if (status === 206) {
    const { start, total } = parseContentRange(res.headers['content-range']);
    if (start !== offset) {
      res.destroy();
      await rm(part, { force: true });
      throw new TransientDownloadError(
        `${url}: asked to resume at byte ${offset}, the server sent bytes from ${String(start)}; the partial file was discarded and the download restarts.`,
        { path: url },
      );
    }
    return receiveBody(res, options, offset, total);
  }
  if (status === 200) {
    const length = res.headers['content-length'];
    return receiveBody(res, options, 0, length === undefined ? undefined : Number(length));
  }
  res.resume();
  if (TRANSIENT_STATUSES.has(status))
    throw new TransientDownloadError(`${url}: the server answered HTTP ${status} (busy or failing).`, { path: url });
  throw new DatasetError(
    `${url}: the server answered HTTP ${status}; expected 200. The file may have moved: download it by hand and put it at the destination, or pass a mirror.`,
    { path: url },
  );
}

/** Streams the body into the part (appending from `start`, or truncating when 0) under an idle timeout. */
async function receiveBody(res: IncomingMessage, options: AttemptOptions, start: number, totalBytes: number | undefined): Promise<void> {
  const { url, part } = options;
  let transferred = 0;
  await new Promise<void>((resolveDone, reject) => {
    const out = createWriteStream(part, { flags: start > 0 ? 'a' : 'w' });
    let failed = false;
    let idleTimer: NodeJS.Timeout | undefined;
    const armIdle = (): void => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(
        () =>
          fail(
            new TransientDownloadError(
              `${url}: no data for ${options.idleTimeoutMs} ms (idleTimeoutMs) after ${start + transferred} bytes${totalBytes !== undefined ? ` of ${totalBytes}` : ''}; the download stalled.`,
              { path: url },
            ),
          ),
        options.idleTimeoutMs,
      );
    };
    // Reject only once the part is closed, so the caller's next step cannot race the write; end()
    // rather than destroy() it, so the bytes received are flushed and the next attempt resumes after them.
    const fail = (error: Error): void => {
      if (failed) return;
      failed = true;
      clearTimeout(idleTimer);
      res.unpipe(out);
      res.destroy();
      if (out.closed) reject(error);
      else {
        out.once('close', () => reject(error));
        if (!out.destroyed) out.end();
      }
    };
    armIdle();
    res.on('data', (chunk: Buffer) => {
      transferred += chunk.length;
      options.onData?.(chunk.length);
      armIdle();
      options.onProgress?.({ file: options.file, receivedBytes: start + transferred, totalBytes });
    });
    const dropped = (detail: string): TransientDownloadError =>
      new TransientDownloadError(
        `${url}: connection closed after ${start + transferred} bytes${totalBytes !== undefined ? ` of ${totalBytes}` : ''} (${detail}).`,
        { path: url },
      );
    res.on('error', (e) => fail(dropped(e.message)));
    res.on('close', () => {
      if (!res.complete) fail(dropped('the server dropped it'));
    });
    out.on('error', (e) =>
      fail(
        new DatasetError(`${part}: cannot write (${e.message}); check the folder is writable and the disk has room.`, {
          path: part,
          cause: e,
        }),
      ),
    );
    // 'close' (not 'finish'): the file handle is released before the caller hashes and renames it
    out.on('close', () => {
      clearTimeout(idleTimer);
      if (!failed) resolveDone();
    });
    res.pipe(out);
  });
  if (totalBytes !== undefined && start + transferred !== totalBytes) {
    throw new TransientDownloadError(
      `${url}: received ${start + transferred} bytes but the server announced ${totalBytes}; the connection dropped.`,
      { path: url },
    );
  }
}
