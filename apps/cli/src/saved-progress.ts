import { readFileSync } from 'node:fs';

/** What a results folder holds right now, read without the experiments package (it must work while exiting). */
export interface SavedProgress {
  /** results.json exists and parses. */
  saved: boolean;
  /** Completed trials recorded in it, over all configurations. */
  completedTrials: number;
}

interface ResultsShape {
  configurations?: { trials?: { status?: string }[] }[];
}

/** Reads `resultsPath` (synchronously: this runs in the second Ctrl-C handler, right before exiting). */
export function readSavedProgress(resultsPath: string): SavedProgress {
  let parsed: ResultsShape;
  try {
    parsed = JSON.parse(readFileSync(resultsPath, 'utf8')) as ResultsShape;
  } catch {
    return { saved: false, completedTrials: 0 };
  }
  const trials = (parsed.configurations ?? []).flatMap((c) => c.trials ?? []);
  return { saved: true, completedTrials: trials.filter((t) => t.status === 'completed').length };
}

/**
 * The message after a second Ctrl-C: what is on disk and the command that works from there. With
 * no results.json yet `--resume` would be refused, so the hint is the same run again, not a resume.
 */
export function stoppedAtOnceMessage(progress: SavedProgress, shownResults: string, totalTrials: number, commands: { resume: string; restart: string }): string {
  if (!progress.saved) {
    return `Stopped at once, before anything was saved (no ${shownResults} yet). Start the run again with:\n  ${commands.restart}`;
  }
  return `Stopped at once. ${shownResults} holds ${progress.completedTrials} of ${totalTrials} trials, finished and saved before this Ctrl-C; continue with:\n  ${commands.resume}`;
}
