import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DatasetError } from '../errors.js';
import { downloadAttempt } from './download-attempt.js';
import { TransientDownloadError } from './http-get.js';

export interface Checksum {
  algorithm: 'md5' | 'sha256';
  hex: string;
}

export interface DownloadProgress {
  file: string;
  /** Bytes of the file on disk so far, a resumed part's included. */
  receivedBytes: number;
  /** The file's full size, from Content-Length or Content-Range; undefined when the server does not send it. */
  totalBytes: number | undefined;
}

export interface DownloadOptions {
  url: string;
  /** Final path. The bytes go to `<dest>.part` beside it and are renamed into place only once verified. */
  dest: string;
  /** Verified before the rename; a mismatch deletes the part. Without it nothing is verified (say so to the user). */
  checksum?: Checksum;
  onProgress?: (progress: DownloadProgress) => void;
  /** Give up an attempt when the response headers have not arrived this long (ms) after the request. Default 30 s. */
  connectTimeoutMs?: number;
  /** Give up an attempt when no byte of the body arrives for this long (ms). Default 60 s. */
  idleTimeoutMs?: number;
  /** Further attempts after a timeout, a dropped connection or an HTTP 5xx. Default 3. */
  retries?: number;
  /** Wait before the first retry (ms), doubled before each further one. Default 1 s. */
  retryDelayMs?: number;
  /** Download again even when a verified file is already at `dest`. */
  force?: boolean;
  /** What to tell the user when the host cannot be reached (where else to get the file). */
  offlineHint?: string;
}

export interface DownloadResult {
  path: string;
  /** True when a verified file was already in place and nothing was downloaded. */
  cached: boolean;
  /** The file's size. */
  bytes: number;
  /** Bytes received over the network by this call (less than `bytes` when a part was resumed). */
  transferred: number;
  /** Attempts made (0 for a cache hit). */
  attempts: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_RETRIES = 3;
export const DEFAULT_RETRY_DELAY_MS = 1_000;
/** Error codes that mean "no network / host unreachable": retrying at once will not help. */
const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH']);
/** Socket errors before the response that another attempt may get past. */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED']);

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

/** The one partial file of a target. */
export function partPath(dest: string): string {
  return `${dest}.part`;
}

/** Per-attempt parts of earlier versions (`<dest>.<12 hex>.part`): a killed run left them behind. */
async function removeLegacyParts(dest: string): Promise<void> {
  const prefix = `${basename(dest)}.`;
  const entries = await readdir(dirname(dest)).catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((e) => e.startsWith(prefix) && /^[0-9a-f]{12}\.part$/.test(e.slice(prefix.length)))
      .map((e) => rm(join(dirname(dest), e), { force: true })),
  );
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Downloads `url` to `dest` atomically: streamed into `<dest>.part`, checked (length and checksum),
 * then renamed, so `dest` is either absent or complete and verified. A verified `dest` already on
 * disk is reused without any request (unless `force`). A timeout, a dropped connection or an HTTP
 * 5xx is retried up to `retries` times with doubling delays; each retry (and the next run, after a
 * kill) resumes the part with a Range request where the server allows it (HTTP 206) and restarts it
 * where it does not (200). A checksum mismatch deletes the part.
 */
export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const { url, dest, checksum } = options;
  if (existsSync(dest) && options.force !== true) {
    const bytes = (await stat(dest)).size;
    if (checksum === undefined || (await fileDigest(dest, checksum.algorithm)) === checksum.hex.toLowerCase()) {
      return { path: dest, cached: true, bytes, transferred: 0, attempts: 0 };
    }
  }
  await mkdir(dirname(dest), { recursive: true });
  await removeLegacyParts(dest);
  const part = partPath(dest);
  const retries = options.retries ?? DEFAULT_RETRIES;
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  let transferred = 0;
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      await downloadAttempt({
        url,
        part,
        file: basename(dest),
        connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        onData: (bytes) => {
          transferred += bytes;
        },
      });
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== undefined && OFFLINE_CODES.has(code)) throw offlineError(options, code, error);
      const transient = error instanceof TransientDownloadError || (code !== undefined && TRANSIENT_CODES.has(code));
      if (!transient) {
        if (DatasetError.isInstance(error)) throw error;
        throw new DatasetError(`${url}: download failed (${(error as Error).message}); nothing was saved at ${dest}.`, {
          path: dest,
          cause: error,
        });
      }
      if (attempts > retries) throw await exhausted(options, part, attempts, error as Error);
      await sleep(retryDelayMs * 2 ** (attempts - 1));
    }
  }
  if (checksum !== undefined) {
    const got = await fileDigest(part, checksum.algorithm);
    if (got !== checksum.hex.toLowerCase()) {
      await rm(part, { force: true });
      throw new DatasetError(
        `${url}: ${checksum.algorithm} ${got} does not match the expected ${checksum.hex}; the download is corrupt or the file changed upstream. The partial file was deleted and nothing was saved at ${dest}; fetch again, or use a mirror.`,
        { path: dest },
      );
    }
  }
  await rm(dest, { force: true });
  await rename(part, dest);
  return { path: dest, cached: false, bytes: (await stat(dest)).size, transferred, attempts };
}

/** The host cannot be reached: `fetchSource` turns it into one message naming every file still to get. */
export class OfflineDownloadError extends DatasetError {
  constructor(
    message: string,
    readonly code: string,
    options: { path: string; cause: unknown },
  ) {
    super(message, options);
  }
}

function offlineError(options: DownloadOptions, code: string, cause: unknown): OfflineDownloadError {
  return new OfflineDownloadError(
    `Cannot reach ${new URL(options.url).host} (${code}): offline? Download ${options.url} on a machine with internet and put it at ${options.dest}.${options.offlineHint ? ` ${options.offlineHint}` : ''}`,
    code,
    { path: options.dest, cause },
  );
}

async function exhausted(options: DownloadOptions, part: string, attempts: number, last: Error): Promise<DatasetError> {
  const kept = existsSync(part) ? (await stat(part)).size : 0;
  const keptNote = kept > 0 ? ` The ${kept} bytes received are kept in ${part}; the next fetch resumes from there.` : '';
  return new DatasetError(
    `${last.message} Gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}.${keptNote} Try again later, raise the timeouts (connectTimeoutMs / idleTimeoutMs; curvad: --connect-timeout / --idle-timeout) or retries, or download ${options.url} by hand and put it at ${options.dest}.`,
    { path: options.url, cause: last },
  );
}
