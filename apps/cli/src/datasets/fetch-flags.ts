import { InvalidArgumentError } from 'commander';

/** `datasets fetch` flags for the download's timeouts and retries, in the units a user types. */
export interface FetchFlags {
  dir?: string;
  allowUnverified?: boolean;
  mirror?: string;
  force?: boolean;
  /** Seconds. */
  connectTimeout?: number;
  /** Seconds. */
  idleTimeout?: number;
  retries?: number;
}

/** A commander parser for a number of seconds > 0, e.g. `--idle-timeout 120`. */
export function positiveSeconds(flag: string): (value: string) => number {
  return (value) => {
    const parsed = Number(value.trim());
    if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0) {
      throw new InvalidArgumentError(`${flag} must be a number of seconds above 0 (e.g. ${flag} 120).`);
    }
    return parsed;
  };
}

/** A commander parser for a whole number >= 0, e.g. `--retries 0`. */
export function nonNegativeInteger(flag: string): (value: string) => number {
  return (value) => {
    const trimmed = value.trim();
    if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
      throw new InvalidArgumentError(`${flag} must be a whole number of at least 0 (e.g. ${flag} 5).`);
    }
    return Number(trimmed);
  };
}

/** The fetchDataset options these flags set (seconds to ms). */
export function downloadOptions(flags: FetchFlags): { connectTimeoutMs?: number; idleTimeoutMs?: number; retries?: number } {
  return {
    ...(flags.connectTimeout !== undefined ? { connectTimeoutMs: Math.round(flags.connectTimeout * 1000) } : {}),
    ...(flags.idleTimeout !== undefined ? { idleTimeoutMs: Math.round(flags.idleTimeout * 1000) } : {}),
    ...(flags.retries !== undefined ? { retries: flags.retries } : {}),
  };
}
