import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { userCacheDir } from '../data-locations.js';
import { DatasetError } from '../errors.js';
import { DATASET_SOURCES, type DatasetName, type DatasetSource } from './dataset-sources.js';
import { type DownloadProgress, type DownloadResult, downloadFile, OfflineDownloadError } from './download-file.js';
import { progressBar } from './progress-bar.js';
import { ensureWritableDir } from './writable-dir.js';

export interface FetchOptions {
  /** Cache root; the dataset lands in `<root>/<folder>`. Default `~/.cache/curvad` (where the readers look). */
  root?: string;
  /** Progress callback; default: a progress bar on stderr when it is a terminal, nothing otherwise. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Replace the host and path of every official URL by this base (a mirror holding the same file names). */
  mirror?: string;
  /** Download files for which no checksum is published (iSUN, Tiny ImageNet). */
  allowUnverified?: boolean;
  /** Download (and extract) again even when verified files are already in place. */
  force?: boolean;
  /** Per attempt: time allowed until the response headers arrive (ms). Default 30 s. */
  connectTimeoutMs?: number;
  /** Per attempt: time allowed without a byte of the body (ms). Default 60 s. */
  idleTimeoutMs?: number;
  /** Further attempts per file after a timeout, a dropped connection or an HTTP 5xx (each resumes the part). Default 3. */
  retries?: number;
  /** Wait before the first retry (ms), doubled before each further one. Default 1 s. */
  retryDelayMs?: number;
  /** Receives notices (licence terms, an unverified download). Default: stderr. */
  log?: (line: string) => void;
}

export interface FetchResult {
  dir: string;
  files: { path: string; cached: boolean; bytes: number; transferred: number }[];
}

/** Marker written after an archive is extracted, so a second fetch skips the (long) extraction. */
const EXTRACTED_SUFFIX = '.extracted';

function runTar(archive: string, into: string): Promise<void> {
  return new Promise((resolveDone, reject) => {
    execFile('tar', ['-xf', archive, '-C', into], { maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) {
        reject(
          new DatasetError(
            `Cannot extract ${archive} with the system tar (${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'tar is not installed' : stderr.trim() || error.message}). Extract it by hand into ${into}.`,
            { path: archive, cause: error },
          ),
        );
      } else resolveDone();
    });
  });
}

/** Extracts into a temporary folder beside the target, then moves each top-level entry into place. */
async function extractArchive(archive: string, into: string): Promise<void> {
  const temp = await mkdtemp(join(into, '.extract-'));
  try {
    await runTar(archive, temp);
    for (const entry of await readdir(temp)) {
      const target = join(into, entry);
      await rm(target, { recursive: true, force: true });
      await rename(join(temp, entry), target);
    }
    await writeFile(`${archive}${EXTRACTED_SUFFIX}`, '');
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/**
 * Downloads a dataset from its official URLs into the cache (`~/.cache/curvad/<folder>` unless
 * `root` is given), verifying each file's published checksum, writing atomically, and extracting
 * archives. Files already present and verified are not downloaded again. Offline, the error says
 * where to put the files by hand and which package provides them.
 */
export async function fetchDataset(name: DatasetName, options: FetchOptions = {}): Promise<FetchResult> {
  const source: DatasetSource | undefined = (DATASET_SOURCES as Record<string, DatasetSource>)[name];
  if (source === undefined) {
    throw new DatasetError(
      `fetchDataset: unknown dataset ${JSON.stringify(name)}; expected one of ${Object.keys(DATASET_SOURCES).join(', ')}.`,
    );
  }
  return fetchSource(name, source, options);
}

/** fetchDataset for a source description of your own (same checksum, cache, atomicity and extraction rules). */
export async function fetchSource(name: string, source: DatasetSource, options: FetchOptions = {}): Promise<FetchResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dir = join(options.root ?? userCacheDir(), source.folder);
  await ensureWritableDir(
    dir,
    options.root === undefined
      ? 'Set XDG_CACHE_HOME to a writable folder, or download elsewhere with --dir PATH (curvad) / { root } (fetchDataset).'
      : 'Pass a writable folder as --dir (curvad) / root (fetchDataset).',
  );
  const unverified = source.files.find((f) => f.checksum === undefined);
  if (unverified !== undefined && options.allowUnverified !== true) {
    throw new DatasetError(
      `${name}: no checksum is published for ${unverified.url}, so it cannot be verified. To download it anyway run \`npx curvad datasets fetch ${name} --allow-unverified\` (library: fetchDataset('${name}', { allowUnverified: true })), or download it yourself and put it at ${join(dir, unverified.file)}.`,
      { path: join(dir, unverified.file) },
    );
  }
  if (source.license) log(`${name}: ${source.license}`);
  const onProgress = options.onProgress ?? (process.stderr.isTTY ? progressBar() : undefined);
  const results: FetchResult['files'] = [];
  for (const file of source.files) {
    if (file.checksum === undefined) log(`${name}: downloading ${file.file} without a checksum (none is published).`);
    const url = options.mirror === undefined ? file.url : `${options.mirror.replace(/\/+$/, '')}/${file.file}`;
    const dest = join(dir, file.file);
    let result: DownloadResult;
    try {
      result = await downloadFile({
        url,
        dest,
        ...(file.checksum ? { checksum: file.checksum } : {}),
        ...(onProgress ? { onProgress } : {}),
        ...(options.force ? { force: true } : {}),
        ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
        ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
        ...(options.retries !== undefined ? { retries: options.retries } : {}),
        ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
        offlineHint: source.offlineHint,
      });
    } catch (error) {
      if (error instanceof OfflineDownloadError) throw offlineForAll(name, source, dir, options.mirror, error);
      throw error;
    }
    if (file.extract === 'tar' && (options.force === true || !existsSync(`${dest}${EXTRACTED_SUFFIX}`))) await extractArchive(dest, dir);
    results.push({ path: result.path, cached: result.cached, bytes: result.bytes, transferred: result.transferred });
  }
  return { dir, files: results };
}

/** Offline: one message naming every file of the dataset not yet in place, its URL and where it goes. */
function offlineForAll(
  name: string,
  source: DatasetSource,
  dir: string,
  mirror: string | undefined,
  error: OfflineDownloadError,
): DatasetError {
  const missing = source.files.filter((f) => !existsSync(join(dir, f.file)));
  const urlOf = (f: DatasetSource['files'][number]): string => (mirror === undefined ? f.url : `${mirror.replace(/\/+$/, '')}/${f.file}`);
  const list = missing.map((f) => `  ${urlOf(f)}\n    put it at ${join(dir, f.file)}`).join('\n');
  const host = new URL(urlOf(missing[0] ?? source.files[0]!)).host;
  return new DatasetError(
    `Cannot reach ${host} (${error.code}): offline? ${name} needs ${missing.length === 1 ? 'this file' : `these ${missing.length} files`}; download ${missing.length === 1 ? 'it' : 'them'} on a machine with internet and put ${missing.length === 1 ? 'it' : 'each'} where shown (then run the same fetch again to verify${source.files.some((f) => f.extract) ? ' and extract' : ''}):\n${list}\n${source.offlineHint}`,
    { path: dir, cause: error },
  );
}

export function listFetchableDatasets(): DatasetName[] {
  return Object.keys(DATASET_SOURCES) as DatasetName[];
}
