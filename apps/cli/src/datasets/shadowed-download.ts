import { isAbsolute, relative } from 'node:path';
import type { LocalStatus } from './local-status';

/**
 * When the folder the readers would read is broken ('incomplete') and is not the folder a fetch
 * downloads into, the download alone does not help: the readers search that folder first and
 * keep refusing it. Returns the sentence that says so and what to do, or undefined.
 */
export function shadowedDownloadNote(status: LocalStatus, downloadDir: string): string | undefined {
  if (status.state !== 'incomplete' || status.dir === undefined) return undefined;
  const inside = relative(downloadDir, status.dir);
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) return undefined;
  return `Note: the readers search ${status.dir} before ${downloadDir}, so they will keep refusing it after this download: fix or remove the files there (or download into it with --dir).`;
}
