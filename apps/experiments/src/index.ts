// @curvad/experiments: the paper's tasks as data-driven experiments. Multi-class OOD detection
// (Sec. V-A, Tables III and IV) is the first task.
export { ExperimentError, InterruptedError } from './experiment-error';
export {
  ConfigError,
  MODEL_NAMES,
  MODEL_TABLE,
  modelRecord,
  PAPER_CURVATURES,
  SPHERE_VARIANTS,
  POINCARE_MODES,
  MLR_PARAMETRIZATIONS,
  PRODUCT_MODES,
  DEFAULT_POINCARE_MARGIN,
  oodConfigSchema,
  parseOodConfig,
  type ModelName,
  type ModelRecord,
  type OodConfig,
  type OodConfigInput,
  type OodSetConfig,
} from './config/ood-config';
export { listPresets, presetConfig, presetInput, QUICK_LIMITS, type PresetOverrides } from './config/presets';
export { resolveOodConfig, type ResolveOodConfigOptions } from './config/resolve-config';
export { readConfigFile, CONFIG_FILE_EXTENSIONS, type ConfigFormat } from './config/config-file';
export { formatOodConfig } from './config/format-config';
export { headOptions, type ConfigHeadOptions } from './config/head-options';
export { parseConfigOverride, applyConfigOverride, type ConfigOverride } from './config/config-override';
export {
  runOodExperiment,
  RESULTS_FILE,
  type RunOodOptions,
  type RunOodResult,
  type RunPlan,
  type RunReporter,
  type UnitEnd,
} from './ood/run-ood-experiment';
export { rescoreRun, describeDetectors, type RescoreOptions, type RescoreReporter, type RescoreResult } from './ood/rescore-run';
export { DETECTOR_NAMES, DETECTOR_DESCRIPTIONS, type DetectorName } from './ood/score-methods';
export { UNITS_DIR, UNIT_FILE, unitSchema, type UnitRecord } from './run/unit-store';
export { resultsFileSchema, RESULTS_SCHEMA_VERSION, type ResultsFile, type TrialResult, type MetricSet, type TrainingEpoch, type DataFile } from './results/results-file';
export { summarizeConfiguration, withSummaries, AVERAGE_OOD, METRIC_KEYS } from './results/summarize';
export { configurationTables, toMarkdown, toCsv } from './report/tables';
export { writeReport, writeFileAtomic } from './report/write-report';
export { readResultsFile } from './results/read-results';
