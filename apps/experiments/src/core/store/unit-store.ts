import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  embeddingPlotSchema,
  inputStandardizationSchema,
  methodResultSchema,
  type ResultsFile,
  resultsFileSchema,
  rocPlotSchema,
  scoreHistogramSchema,
  trainingEpochSchema,
} from '../results/results-file';
import { slug } from '../slug';
import { writeFileAtomic } from '../store/write-file-atomic';

/**
 * A run's unit of work is one (configuration, trial, model): the model is trained, saved and
 * scored, and the unit is persisted at once under
 *   units/<configuration>/trial-<t>/<model>/model/   the trained weights (geo-layers' saveModel)
 *   units/<configuration>/trial-<t>/<model>/unit.json   id accuracy, training curve, method results, plots
 * (raw scores go to scores/<configuration>/trial-<t>/ as before). unit.json is written last and
 * atomically: a unit is finished exactly when its unit.json exists. results.json is a view rebuilt
 * from the units and units/run.json (the run's header: command, config, backend, versions, data files).
 */
export const UNITS_DIR = 'units';
export const RUN_FILE = 'run.json';
export const UNIT_FILE = 'unit.json';
export const UNIT_MODEL_DIR = 'model';

const detectorName = z.enum(['msp', 'odin', 'maxlogit', 'energy', 'geometric', 'odin-hyperbolic', 'mahalanobis', 'knn', 'eloc']);

export const unitSchema = z.object({
  configuration: z.string(),
  trial: z.number().int().nonnegative(),
  seed: z.number().int(),
  model: z.string(),
  /** Training, scoring and saving, in seconds (a rescore keeps the training's). */
  wallTimeSec: z.number().nonnegative(),
  idAccuracy: z.number().min(0).max(1),
  training: z.array(trainingEpochSchema),
  /** The table rows of this model, each with the detector that gave it (`curvad rescore --methods`). */
  methods: z.array(methodResultSchema.extend({ detector: detectorName })),
  plots: z.object({
    histograms: z.array(scoreHistogramSchema),
    roc: z.array(rocPlotSchema),
    embeddings: z.array(embeddingPlotSchema),
  }),
  /** The input standardization the model was trained and scored with (results.json lifts it to its configuration). */
  inputStandardization: inputStandardizationSchema.optional(),
});
export type UnitRecord = z.infer<typeof unitSchema>;

export interface UnitKey {
  configuration: string;
  trial: number;
  model: string;
}

export function unitKey(key: UnitKey): string {
  return `${key.configuration}/${key.trial}/${key.model}`;
}

export function unitDir(outDir: string, key: UnitKey): string {
  return join(outDir, UNITS_DIR, key.configuration, `trial-${key.trial}`, slug(key.model));
}

export function unitModelDir(outDir: string, key: UnitKey): string {
  return join(unitDir(outDir, key), UNIT_MODEL_DIR);
}

/** Writes unit.json (atomically; the unit's weights and scores must already be on disk). */
export async function writeUnit(outDir: string, unit: UnitRecord): Promise<void> {
  const dir = unitDir(outDir, unit);
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, UNIT_FILE), JSON.stringify(unitSchema.parse(unit)));
}

/**
 * Every finished unit under outDir/units, by unitKey. A unit.json that does not parse (a disk
 * error; the atomic write never leaves half a file) is left out: its unit runs again on resume.
 */
export async function readUnits(outDir: string): Promise<Map<string, UnitRecord>> {
  const units = new Map<string, UnitRecord>();
  const root = join(outDir, UNITS_DIR);
  if (!existsSync(root)) return units;
  for (const configuration of await readdir(root, { withFileTypes: true })) {
    if (!configuration.isDirectory()) continue;
    for (const trial of await readdir(join(root, configuration.name), { withFileTypes: true })) {
      if (!trial.isDirectory()) continue;
      for (const model of await readdir(join(root, configuration.name, trial.name), { withFileTypes: true })) {
        const path = join(root, configuration.name, trial.name, model.name, UNIT_FILE);
        if (!model.isDirectory() || !existsSync(path)) continue;
        try {
          const unit = unitSchema.parse(JSON.parse(await readFile(path, 'utf8')));
          units.set(unitKey(unit), unit);
        } catch {
          // unreadable: treated as not finished
        }
      }
    }
  }
  return units;
}

export function runFilePath(outDir: string): string {
  return join(outDir, UNITS_DIR, RUN_FILE);
}

/** Writes the run's header (a results file with no trials) to units/run.json, atomically. */
export async function writeRunHeader(outDir: string, results: ResultsFile): Promise<void> {
  await mkdir(join(outDir, UNITS_DIR), { recursive: true });
  const header = { ...results, configurations: results.configurations.map((c) => ({ ...c, trials: [], summary: undefined })) };
  await writeFileAtomic(runFilePath(outDir), JSON.stringify(header, null, 1));
}

/** The run's header from units/run.json, or null when it is missing or unreadable. */
export async function readRunHeader(outDir: string): Promise<ResultsFile | null> {
  try {
    const parsed = resultsFileSchema.safeParse(JSON.parse(await readFile(runFilePath(outDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
