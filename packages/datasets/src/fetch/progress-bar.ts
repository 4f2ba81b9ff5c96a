import type { DownloadProgress } from './download-file.js';

const BAR_WIDTH = 30;
const MIB = 1024 * 1024;
/** Redraw at most this often (ms), so a fast local download does not flood the terminal. */
const REDRAW_INTERVAL_MS = 100;

/**
 * A text progress bar for `onProgress`: `[#########.........]  30%  12.3/41.0 MiB  file`, redrawn in
 * place with a carriage return. Writes to `stream` (default stderr); returns the handler.
 */
export function progressBar(stream: { write(s: string): unknown } = process.stderr): (p: DownloadProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    const done = p.totalBytes !== undefined && p.receivedBytes >= p.totalBytes;
    if (!done && now - last < REDRAW_INTERVAL_MS) return;
    last = now;
    stream.write(`\r${formatProgress(p)}${done ? '\n' : ''}`);
  };
}

export function formatProgress(p: DownloadProgress): string {
  const mib = (b: number): string => (b / MIB).toFixed(1);
  if (p.totalBytes === undefined || p.totalBytes === 0) return `${mib(p.receivedBytes)} MiB  ${p.file}`;
  const fraction = Math.min(1, p.receivedBytes / p.totalBytes);
  const filled = Math.round(fraction * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${mib(p.receivedBytes)}/${mib(p.totalBytes)} MiB  ${p.file}`;
}
