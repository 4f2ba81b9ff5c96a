import { existsSync, readFileSync } from 'node:fs';

/** What a results folder holds right now, read without the experiments package (it must work while exiting). */
export interface SavedProgress {
  /** The folder holds a run to resume: results.json or the units/ folder it is rebuilt from. */
  saved: boolean;
  /** Completed trials recorded in results.json, over all configurations (0 without one). */
  completedTrials: number;
}

/** Models of the run finished (trained, scored and saved, earlier sessions included) and in all, as the progress reporter counted them. */
export interface UnitCounts {
  done: number;
  total: number;
}

interface ResultsShape {
  configurations?: { trials?: { status?: string }[] }[];
}

/** Reads `resultsPath` (synchronously: this runs in the second Ctrl-C handler, right before exiting). */
export function readSavedProgress(resultsPath: string, unitsDir: string): SavedProgress {
  let parsed: ResultsShape | null = null;
  try {
    parsed = JSON.parse(readFileSync(resultsPath, 'utf8')) as ResultsShape;
  } catch {
    parsed = null;
  }
  const trials = (parsed?.configurations ?? []).flatMap((c) => c.trials ?? []);
  return { saved: parsed !== null || existsSync(unitsDir), completedTrials: trials.filter((t) => t.status === 'completed').length };
}

/** `2 of 5 trials` or, when the reporter counted models, `2 of 5 trials (9 of 35 models)`. */
export function savedSummary(completedTrials: number, totalTrials: number, units: UnitCounts | null): string {
  return `${completedTrials} of ${totalTrials} trials${units ? ` (${units.done} of ${units.total} models)` : ''}`;
}

/**
 * The message after a second Ctrl-C: what is on disk and the command that works from there. With
 * nothing saved yet `--resume` would be refused, so the hint is the same run again, not a resume.
 */
export function stoppedAtOnceMessage(
  progress: SavedProgress,
  units: UnitCounts | null,
  where: { outDir: string; totalTrials: number },
  commands: { resume: string; restart: string },
): string {
  if (!progress.saved) {
    return `Stopped at once, before anything was saved in ${where.outDir}. Start the run again with:\n  ${commands.restart}`;
  }
  return `Stopped at once. Saved in ${where.outDir} before this Ctrl-C: ${savedSummary(progress.completedTrials, where.totalTrials, units)}; --resume keeps them and runs the rest:\n  ${commands.resume}`;
}
