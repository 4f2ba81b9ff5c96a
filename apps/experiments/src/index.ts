// @curvad/experiments: the paper's tasks as data-driven experiments. Multi-class OOD detection
// (Sec. V-A, Tables III and IV) is the first task.

export { CONFIG_FILE_EXTENSIONS, type ConfigFormat, readConfigFile } from './config/config-file';
export { applyConfigOverride, type ConfigOverride, parseConfigOverride } from './config/config-override';
export { formatOodConfig } from './config/format-config';
export { type ConfigHeadOptions, headOptions } from './config/head-options';
export {
  ConfigError,
  DEFAULT_POINCARE_MARGIN,
  MLR_PARAMETRIZATIONS,
  MODEL_NAMES,
  MODEL_TABLE,
  type ModelName,
  type ModelRecord,
  modelRecord,
  type OodConfig,
  type OodConfigInput,
  type OodSetConfig,
  oodConfigSchema,
  PAPER_CURVATURES,
  POINCARE_MODES,
  PRODUCT_MODES,
  parseOodConfig,
  SPHERE_VARIANTS,
} from './config/ood-config';
export { listPresets, type PresetOverrides, presetConfig, presetInput, QUICK_LIMITS } from './config/presets';
export { type ResolveOodConfigOptions, resolveOodConfig } from './config/resolve-config';
export { ExperimentError, InterruptedError } from './experiment-error';
export { describeDetectors, type RescoreOptions, type RescoreReporter, type RescoreResult, rescoreRun } from './ood/rescore-run';
export {
  RESULTS_FILE,
  type RunOodOptions,
  type RunOodResult,
  type RunPlan,
  type RunReporter,
  runOodExperiment,
  type UnitEnd,
} from './ood/run-ood-experiment';
export { DETECTOR_DESCRIPTIONS, DETECTOR_NAMES, type DetectorName } from './ood/score-methods';
export { configurationTables, toCsv, toMarkdown } from './report/tables';
export { writeFileAtomic, writeReport } from './report/write-report';
export { readResultsFile } from './results/read-results';
export {
  type DataFile,
  type MetricSet,
  RESULTS_SCHEMA_VERSION,
  type ResultsFile,
  resultsFileSchema,
  type TrainingEpoch,
  type TrialResult,
} from './results/results-file';
export { AVERAGE_OOD, METRIC_KEYS, summarizeConfiguration, withSummaries } from './results/summarize';
export { UNIT_FILE, UNITS_DIR, type UnitRecord, unitSchema } from './run/unit-store';
