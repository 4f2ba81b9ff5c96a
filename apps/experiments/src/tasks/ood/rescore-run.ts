import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadModel } from '@curvad/geo-layers';
import { saveScores } from '../../core/artifacts/score-files';
import { writeReport } from '../../core/report/write-report';
import type { ResultsFile } from '../../core/results/results-file';
import { assembleResults } from '../../core/store/assemble-results';
import { RESULTS_FILE } from '../../core/store/open-run';
import { removeStaleTempFiles } from '../../core/store/stale-temp-files';
import { readRunHeader, readUnits, runFilePath, type UnitRecord, unitKey, unitModelDir, writeUnit } from '../../core/store/unit-store';
import { writeFileAtomic } from '../../core/store/write-file-atomic';
import { ExperimentError, InterruptedError } from '../../experiment-error';
import { recordingTask } from '../registry';
import { configurationConfig } from './config/configuration-config';
import { MODEL_TABLE, type ModelName, modelRecord, type OodConfig, parseOodConfig } from './config/ood-config';
import { type ConfigurationData, loadConfigurationData } from './data/load-data';
import { builtFromModel } from './model/build-model';
import { loadElocModels } from './model/eloc-model-dirs';
import { disposeEloc, elocFromModels } from './model/eloc-models';
import { elocRow, scoreEloc } from './score/score-eloc';
import { DETECTOR_DESCRIPTIONS, DETECTOR_NAMES, type DetectorName, runDetectors, scoreMethods } from './score/score-methods';
import { type ScoredModel, scoreModel } from './score/score-model';

export interface RescoreReporter {
  log?(message: string): void;
  onUnitStart?(unit: { configuration: string; trial: number; model: string; index: number; count: number }): void;
  onUnitEnd?(unit: { configuration: string; trial: number; model: string; seconds: number }): void;
}

export interface RescoreOptions {
  /** The folder of a run (holds units/ and results.json). */
  outDir: string;
  /** Detectors to (re)compute (names of DETECTOR_NAMES); default: the run's own. Rows of other detectors are kept. */
  detectors?: readonly string[];
  /** Write the raw scores under outDir/scores (default true). */
  saveScores?: boolean;
  /** Rewrite the tables and report.html (default true). */
  report?: boolean;
  reporter?: RescoreReporter;
  /** Abort to stop between units: the units rescored so far are kept. */
  signal?: AbortSignal;
}

export interface RescoreResult {
  results: ResultsFile;
  interrupted: boolean;
  /** Units rescored in this call. */
  rescored: number;
  reportFiles: string[];
}

/** The detectors `curvad rescore --methods` accepts, one line each. */
export function describeDetectors(): string[] {
  return DETECTOR_NAMES.map((d) => `${d.padEnd(16)} ${DETECTOR_DESCRIPTIONS[d]}`);
}

function checkDetectors(names: readonly string[]): DetectorName[] {
  const unknown = names.filter((n) => !(DETECTOR_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new ExperimentError(
      `unknown detector${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')}; choose from: ${DETECTOR_NAMES.join(', ')}.`,
    );
  }
  if (names.length === 0) throw new ExperimentError(`no detector named; choose from: ${DETECTOR_NAMES.join(', ')}.`);
  return [...new Set(names)] as DetectorName[];
}

/** The unit's rows after rescoring: every row the model gets from the old and new detectors, new ones recomputed. */
function mergeUnit(unit: UnitRecord, scored: ScoredModel, detectors: readonly DetectorName[], order: readonly string[]): UnitRecord {
  const fresh = new Map(scored.methods.map((m) => [m.result.method, m]));
  const old = new Map(unit.methods.map((m) => [m.method, m]));
  const keepOld = (method: string) => old.has(method) && !detectors.includes(old.get(method)!.detector);
  const methods = order.filter((m) => fresh.has(m) || keepOld(m));
  const histograms = new Map(unit.plots.histograms.map((h) => [h.method, h]));
  return {
    ...unit,
    idAccuracy: scored.idAccuracy,
    methods: methods.map((m) => (fresh.has(m) ? { ...fresh.get(m)!.result, detector: fresh.get(m)!.detector } : old.get(m)!)),
    plots: {
      histograms: methods.flatMap((m) => (fresh.has(m) ? [fresh.get(m)!.histogram] : histograms.has(m) ? [histograms.get(m)!] : [])),
      roc: methods.flatMap((m) => (fresh.has(m) ? fresh.get(m)!.roc : unit.plots.roc.filter((r) => r.method === m))),
      embeddings: unit.plots.embeddings,
    },
  };
}

/**
 * Scores one saved unit again: its model (an ELOC unit: its leave-out classifiers) loaded from the run
 * folder, disposed after. `order`: the unit's row names after rescoring, in table order.
 */
async function rescoreUnit(
  outDir: string,
  unit: UnitRecord,
  config: OodConfig,
  data: ConfigurationData,
  detectors: readonly DetectorName[],
  signal?: AbortSignal,
): Promise<{ scored: ScoredModel; order: string[] }> {
  const name = unit.model as ModelName;
  if (modelRecord(name).kind === 'eloc') {
    const eloc = elocFromModels(name, await loadElocModels(outDir, unit, config.eloc.folds), config, data.classes);
    try {
      return { scored: await scoreEloc(eloc, config, data, detectors, signal), order: [elocRow(eloc, config).method] };
    } finally {
      disposeEloc(eloc);
    }
  }
  const built = builtFromModel(name, await loadModel(unitModelDir(outDir, unit)), config);
  try {
    const scored = await scoreModel(built, config, data, detectors, signal);
    const order = scoreMethods(built, config, [...new Set([...detectors, ...unit.methods.map((m) => m.detector)])]).map((m) => m.method);
    return { scored, order };
  } finally {
    built.model.dispose();
  }
}

/**
 * Re-scores the saved models of a run (units/.../model, written by runOodExperiment) with the
 * named detectors, or the run's own: no training, only forward passes (and ODIN's input gradient).
 * Each unit's unit.json and raw scores are rewritten, then results.json and the report.
 */
export async function rescoreRun(options: RescoreOptions): Promise<RescoreResult> {
  const outDir = resolve(options.outDir);
  const { reporter, signal } = options;
  const header = await readRunHeader(outDir);
  if (!header) {
    const reason = existsSync(outDir) ? `${runFilePath(outDir)} is missing or unreadable` : `${outDir} does not exist`;
    throw new ExperimentError(
      `${reason}: rescore needs a run folder with saved models (units/), which npx curvad experiment ood writes; give the --out folder of such a run, or run the experiment again to get one.`,
    );
  }
  const recordedBy = recordingTask(header.config);
  if (recordedBy !== null && recordedBy.name !== 'ood') {
    throw new ExperimentError(
      `${outDir} is a run of the ${recordedBy.name} task; rescore re-scores runs of the OOD task (npx curvad experiment ood) only. A ${recordedBy.name} run's rows are fixed by its config: run it again with the rows you want (its --set options), or rebuild its tables and report with npx curvad report.`,
    );
  }
  const config = parseOodConfig(header.config);
  const detectors = options.detectors ? checkDetectors(options.detectors) : runDetectors(config);
  await removeStaleTempFiles(outDir);
  const units = await readUnits(outDir);
  if (units.size === 0)
    throw new ExperimentError(
      `${outDir} holds no finished unit (units/<configuration>/trial-<t>/<model>/unit.json) to rescore; finish some of the run first (the same npx curvad experiment ood command with --resume --out ${outDir}).`,
    );
  const ordered = [...units.values()].sort((a, b) =>
    a.configuration === b.configuration
      ? a.trial - b.trial || config.models.indexOf(a.model as ModelName) - config.models.indexOf(b.model as ModelName)
      : a.configuration < b.configuration
        ? -1
        : 1,
  );
  const dataOf = new Map<string, ConfigurationData>();
  let rescored = 0;
  let interrupted = false;
  for (const [index, unit] of ordered.entries()) {
    if (signal?.aborted) {
      interrupted = true;
      break;
    }
    const configuration = config.configurations.find((c) => c.name === unit.configuration);
    if (!configuration || !Object.hasOwn(MODEL_TABLE, unit.model)) continue;
    if (!dataOf.has(configuration.name)) {
      reporter?.log?.(`${configuration.name}: loading data`);
      dataOf.clear();
      dataOf.set(configuration.name, await loadConfigurationData(config, configuration));
    }
    const data = dataOf.get(configuration.name)!;
    reporter?.onUnitStart?.({ configuration: unit.configuration, trial: unit.trial, model: unit.model, index, count: ordered.length });
    const started = performance.now();
    // The model was built with its configuration's own settings (embeddingDim decides the feature layer).
    const unitConfig = configurationConfig(config, configuration.name);
    let rescoredUnit: { scored: ScoredModel; order: string[] };
    try {
      rescoredUnit = await rescoreUnit(outDir, unit, unitConfig, data, detectors, signal);
    } catch (error) {
      if (error instanceof InterruptedError) {
        interrupted = true;
        break;
      }
      throw error;
    }
    const { scored, order } = rescoredUnit;
    if (options.saveScores !== false) {
      for (const m of scored.methods) await saveScores(outDir, unit.configuration, unit.trial, m.result.method, m.scores);
    }
    const merged = mergeUnit(unit, scored, detectors, order);
    await writeUnit(outDir, merged);
    units.set(unitKey(merged), merged);
    rescored++;
    reporter?.onUnitEnd?.({
      configuration: unit.configuration,
      trial: unit.trial,
      model: unit.model,
      seconds: (performance.now() - started) / 1000,
    });
  }
  const results = assembleResults(header, config.models, units, new Map(), new Map());
  results.updatedAt = new Date().toISOString();
  const hasTrials = results.configurations.some((c) => c.trials.length > 0);
  if (hasTrials) await writeFileAtomic(join(outDir, RESULTS_FILE), JSON.stringify(results, null, 1));
  const reportFiles = hasTrials && options.report !== false ? (await writeReport(outDir, results)).files : [];
  return { results, interrupted, rescored, reportFiles };
}
