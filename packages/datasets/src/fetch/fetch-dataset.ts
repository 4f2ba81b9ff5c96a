import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { userCacheDir } from '../data-locations.js';
import { DatasetError } from '../errors.js';
import { DATASET_SOURCES, type DatasetName, type DatasetSource } from './dataset-sources.js';
import { downloadFile, type DownloadProgress } from './download-file.js';
import { progressBar } from './progress-bar.js';

export interface FetchOptions {
  /** Cache root; the dataset lands in `<root>/<folder>`. Default `~/.cache/curvad` (where the readers look). */
  root?: string;
  /** Progress callback; default: a progress bar on stderr when it is a terminal, nothing otherwise. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Replace the host and path of every official URL by this base (a mirror holding the same file names). */
  mirror?: string;
  /** Download files for which no checksum is published (iSUN, Tiny ImageNet). */
  allowUnverified?: boolean;
  idleTimeoutMs?: number;
  /** Receives notices (licence terms, an unverified download). Default: stderr. */
  log?: (line: string) => void;
}

export interface FetchResult {
  dir: string;
  files: { path: string; cached: boolean; bytes: number }[];
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
    throw new DatasetError(`fetchDataset: unknown dataset ${JSON.stringify(name)}; expected one of ${Object.keys(DATASET_SOURCES).join(', ')}.`);
  }
  return fetchSource(name, source, options);
}

/** fetchDataset for a source description of your own (same checksum, cache, atomicity and extraction rules). */
export async function fetchSource(name: string, source: DatasetSource, options: FetchOptions = {}): Promise<FetchResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dir = join(options.root ?? userCacheDir(), source.folder);
  await mkdir(dir, { recursive: true });
  if (source.license) log(`${name}: ${source.license}`);
  const onProgress = options.onProgress ?? (process.stderr.isTTY ? progressBar() : undefined);
  const results: FetchResult['files'] = [];
  for (const file of source.files) {
    if (file.checksum === undefined && options.allowUnverified !== true) {
      throw new DatasetError(
        `${name}: no checksum is published for ${file.url}, so it cannot be verified. Pass { allowUnverified: true } to download it anyway, or download it yourself and put it at ${join(dir, file.file)}.`,
        { path: join(dir, file.file) },
      );
    }
    if (file.checksum === undefined) log(`${name}: downloading ${file.file} without a checksum (none is published).`);
    const url = options.mirror === undefined ? file.url : `${options.mirror.replace(/\/+$/, '')}/${file.file}`;
    const dest = join(dir, file.file);
    const result = await downloadFile({
      url,
      dest,
      ...(file.checksum ? { checksum: file.checksum } : {}),
      ...(onProgress ? { onProgress } : {}),
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
      offlineHint: source.offlineHint,
    });
    if (file.extract === 'tar' && !existsSync(`${dest}${EXTRACTED_SUFFIX}`)) await extractArchive(dest, dir);
    results.push(result);
  }
  return { dir, files: results };
}

export function listFetchableDatasets(): DatasetName[] {
  return Object.keys(DATASET_SOURCES) as DatasetName[];
}
