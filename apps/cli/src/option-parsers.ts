import { InvalidArgumentError } from 'commander';

/** The tfjs backends `--backend` accepts (those of @curvad/runtime's initBackend). */
export const BACKEND_CHOICES = ['auto', 'wasm', 'cpu', 'tensorflow'] as const;
export type BackendOption = (typeof BACKEND_CHOICES)[number];

/** A commander argument parser for a positive integer option, e.g. `--trials 3`. */
export function positiveInteger(flag: string, example: number): (value: string) => number {
  return (value) => {
    const trimmed = value.trim();
    const parsed = Number(trimmed);
    if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(parsed) || parsed < 1) {
      throw new InvalidArgumentError(`${flag} must be a whole number of at least 1 (e.g. ${flag} ${example}).`);
    }
    return parsed;
  };
}
