import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { basename, dirname } from 'node:path';
import { DatasetError } from '../errors.js';

export interface Checksum {
  algorithm: 'md5' | 'sha256';
  hex: string;
}

export interface DownloadProgress {
  file: string;
  receivedBytes: number;
  /** From Content-Length; undefined when the server does not send it. */
  totalBytes: number | undefined;
}

export interface DownloadOptions {
  url: string;
  /** Final path. The bytes go to a temporary file beside it and are renamed into place only once verified. */
  dest: string;
  /** Verified before the rename; a mismatch deletes the download. Without it nothing is verified (say so to the user). */
  checksum?: Checksum;
  onProgress?: (progress: DownloadProgress) => void;
  /** Abort when no byte arrives for this long (ms). */
  idleTimeoutMs?: number;
  /** What to tell the user when the host cannot be reached (where else to get the file). */
  offlineHint?: string;
}

export interface DownloadResult {
  path: string;
  /** True when a verified file was already in place and nothing was downloaded. */
  cached: boolean;
  bytes: number;
}

const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
const MAX_REDIRECTS = 10;
/** Error codes that mean "no network / host unreachable" rather than "bad server". */
const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT']);

/** Hex digest of a file on disk. */
export async function fileDigest(path: string, algorithm: Checksum['algorithm']): Promise<string> {
  const hash = createHash(algorithm);
  await new Promise<void>((resolveDone, reject) => {
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', resolveDone)
      .on('error', reject);
  });
  return hash.digest('hex');
}

function request(url: string, redirects: number): Promise<IncomingMessage> {
  return new Promise((resolveResponse, reject) => {
    const getter = url.startsWith('https:') ? httpsGet : url.startsWith('http:') ? httpGet : undefined;
    if (getter === undefined) {
      reject(new DatasetError(`${url}: only http and https URLs can be fetched.`, { path: url }));
      return;
    }
    const req = getter(url, { headers: { 'user-agent': '@curvad/datasets' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location !== undefined) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) {
          reject(new DatasetError(`${url}: more than ${MAX_REDIRECTS} redirects.`, { path: url }));
          return;
        }
        request(new URL(res.headers.location, url).toString(), redirects + 1).then(resolveResponse, reject);
        return;
      }
      if (status !== 200) {
        res.resume();
        reject(new DatasetError(`${url}: the server answered HTTP ${status}; expected 200. The file may have moved; download it by hand and place it at the destination.`, { path: url }));
        return;
      }
      resolveResponse(res);
    });
    req.on('error', reject);
  });
}

/**
 * Downloads `url` to `dest` atomically: streamed into `<dest>.<random>.part`, checked (length and
 * checksum), then renamed. On any failure the partial file is deleted, so `dest` is either absent
 * or complete and verified. A verified `dest` already on disk is reused without any request.
 */
export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const { url, dest, checksum } = options;
  if (existsSync(dest)) {
    const bytes = (await stat(dest)).size;
    if (checksum === undefined || (await fileDigest(dest, checksum.algorithm)) === checksum.hex.toLowerCase()) {
      return { path: dest, cached: true, bytes };
    }
    // a corrupt cached copy is replaced, never trusted
    await rm(dest, { force: true });
  }
  await mkdir(dirname(dest), { recursive: true });
  const temp = `${dest}.${randomBytes(6).toString('hex')}.part`;
  try {
    const res = await request(url, 0);
    const lengthHeader = res.headers['content-length'];
    const totalBytes = lengthHeader === undefined ? undefined : Number(lengthHeader);
    const hash = checksum ? createHash(checksum.algorithm) : undefined;
    let receivedBytes = 0;
    await new Promise<void>((resolveDone, reject) => {
      const out = createWriteStream(temp);
      let failed = false;
      // reject only once the temp file is closed, so the cleanup below cannot race its creation
      const fail = (error: Error): void => {
        if (failed) return;
        failed = true;
        res.destroy();
        if (out.closed) reject(error);
        else {
          out.once('close', () => reject(error));
          out.destroy();
        }
      };
      const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
      res.setTimeout(idleMs, () => fail(new DatasetError(`${url}: no data for ${idleMs} ms; the download stalled. Nothing was saved; try again.`, { path: url })));
      res.on('data', (chunk: Buffer) => {
        receivedBytes += chunk.length;
        hash?.update(chunk);
        options.onProgress?.({ file: basename(dest), receivedBytes, totalBytes });
      });
      // 'aborted' / 'error' with no 'end': the connection dropped mid-body
      res.on('aborted', () => fail(new DatasetError(`${url}: connection closed after ${receivedBytes} bytes${totalBytes ? ` of ${totalBytes}` : ''}; nothing was saved. Try again.`, { path: url })));
      res.on('error', (e) => fail(new DatasetError(`${url}: connection failed after ${receivedBytes} bytes (${e.message}); nothing was saved. Try again.`, { path: url, cause: e })));
      out.on('error', (e) => fail(new DatasetError(`${temp}: cannot write (${e.message}).`, { path: temp, cause: e })));
      // 'close' (not 'finish'): the file handle is released before the rename
      out.on('close', () => {
        if (!failed) resolveDone();
      });
      res.pipe(out);
    });
    if (totalBytes !== undefined && receivedBytes !== totalBytes) {
      throw new DatasetError(`${url}: received ${receivedBytes} bytes but the server announced ${totalBytes}; the connection dropped. Nothing was saved; try again.`, { path: url });
    }
    if (checksum && hash) {
      const got = hash.digest('hex');
      if (got !== checksum.hex.toLowerCase()) {
        throw new DatasetError(
          `${url}: ${checksum.algorithm} ${got} does not match the expected ${checksum.hex}; the download is corrupt or the file changed upstream. Nothing was saved.`,
          { path: dest },
        );
      }
    }
    await rename(temp, dest);
    return { path: dest, cached: false, bytes: receivedBytes };
  } catch (error) {
    await rm(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined && OFFLINE_CODES.has(code)) {
      throw new DatasetError(
        `Cannot reach ${new URL(url).host} (${code}): offline? Download ${url} on a machine with internet and put it at ${dest}.${options.offlineHint ? ` ${options.offlineHint}` : ''}`,
        { path: dest, cause: error },
      );
    }
    if (DatasetError.isInstance(error)) throw error;
    throw new DatasetError(`${url}: download failed (${(error as Error).message}); nothing was saved.`, { path: dest, cause: error });
  }
}
