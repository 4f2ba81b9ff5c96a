import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExperimentError } from '../../experiment-error';
import { type ResultsFile, resultsFileSchema, type TrialResult } from '../results/results-file';
import { configDifferences, describeDifferences } from './config-diff';
import { readRunHeader, readUnits, runFilePath, UNITS_DIR, type UnitRecord } from './unit-store';

export const RESULTS_FILE = 'results.json';

/** What a run folder already holds, for resuming it. */
export interface ExistingRun {
  /** The run's header: units/run.json, or for a run made before units existed, its results.json. */
  header: ResultsFile;
  units: Map<string, UnitRecord>;
  /** Completed trials recorded in results.json that have no units (runs made before units existed). */
  legacyTrials: Map<string, TrialResult[]>;
  /** True when results.json was missing or unreadable and is rebuilt from the units. */
  rebuilt: boolean;
}

/** True when `outDir` holds (part of) a run: a results.json or a units/ folder. */
export function holdsRun(outDir: string): boolean {
  return existsSync(join(outDir, RESULTS_FILE)) || existsSync(join(outDir, UNITS_DIR));
}

async function readResultsJson(path: string): Promise<{ ok: true; results: ResultsFile } | { ok: false; reason: string }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  const parsed = resultsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `${issue.path.join('.')}: ${issue.message}` };
  }
  return { ok: true, results: parsed.data };
}

/** Trials may change on resume (to add trials to a finished run); any other field may not. */
const MAY_CHANGE_ON_RESUME = ['trials'];

/**
 * Opens the run in `outDir` to resume it with `config`: its header, finished units and (for older
 * runs) completed trials. Refuses, naming the fields, a run made with another config (trials may
 * differ); a folder with nothing to resume; a results.json that is neither readable nor rebuildable.
 */
export async function openExistingRun(
  outDir: string,
  config: unknown,
  /** The recorded config with the defaults of fields added since filled in (the task's), so like is compared with like. */
  withConfigDefaults: (recorded: unknown) => unknown = (recorded) => recorded,
): Promise<ExistingRun> {
  const resultsPath = join(outDir, RESULTS_FILE);
  if (!holdsRun(outDir)) {
    throw new ExperimentError(
      `${outDir} holds no run to resume (no ${RESULTS_FILE}, no ${UNITS_DIR}/ folder); start a new run there without --resume.`,
    );
  }
  const fromUnits = await readRunHeader(outDir);
  const existing = existsSync(resultsPath) ? await readResultsJson(resultsPath) : ({ ok: false, reason: 'missing' } as const);
  const header = fromUnits ?? (existing.ok ? existing.results : null);
  if (!header) {
    const why = existsSync(resultsPath)
      ? `${resultsPath} cannot be read (${existing.ok ? '' : existing.reason})`
      : `${resultsPath} is missing`;
    throw new ExperimentError(
      `${why} and ${runFilePath(outDir)}, from which it is rebuilt, is missing too, so there is nothing to resume; move the folder away and start a new run with the same --out (without --resume), or choose another --out.`,
    );
  }
  const differences = configDifferences(config, withConfigDefaults(header.config), MAY_CHANGE_ON_RESUME);
  if (differences.length > 0) {
    throw new ExperimentError(
      `${outDir} holds a run made with another experiment config (${describeDifferences(differences)}); resume with the same preset and options (only --trials may change), or choose another --out.`,
    );
  }
  const units = await readUnits(outDir);
  const legacyTrials = new Map<string, TrialResult[]>();
  if (existing.ok) {
    for (const c of existing.results.configurations) {
      const hasUnits = [...units.values()].some((u) => u.configuration === c.name);
      if (!hasUnits)
        legacyTrials.set(
          c.name,
          c.trials.filter((t) => t.status === 'completed'),
        );
    }
  }
  return { header, units, legacyTrials, rebuilt: !existing.ok };
}
