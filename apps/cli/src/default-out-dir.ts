import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** `YYYY-MM-DD` in local time: the day the run started. */
export function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * `results/<preset>[-quick]-<date>` under `cwd`; when that folder already holds a run, `-2`, `-3`,
 * ... is appended, so a default folder never collides with an earlier run (use --out and --resume
 * to continue one).
 */
export function defaultOutDir(cwd: string, preset: string, quick: boolean, date: Date, resultsFile = 'results.json'): string {
  const base = resolve(cwd, 'results', `${preset}${quick ? '-quick' : ''}-${isoDay(date)}`);
  let candidate = base;
  for (let n = 2; existsSync(join(candidate, resultsFile)); n++) candidate = `${base}-${n}`;
  return candidate;
}
