// @curvad/experiments: the paper's tasks as data-driven experiments. Multi-class OOD detection
// (Sec. V-A, Tables III and IV) is the first task.

export { CONFIG_FILE_EXTENSIONS, type ConfigFormat, readConfigFile } from './core/config/config-file';
export { applyConfigOverride, type ConfigOverride, parseConfigOverride } from './core/config/config-override';
export { QueueError } from './core/queue/queue-error';
export {
  createQueueExecutor,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_SECONDS,
  DEFAULT_RECONCILE_MS,
  describeOverhead,
  type QueueExecutorOptions,
  type QueueOverhead,
} from './core/queue/queue-executor';
export { parseQueueUrl, type QueueTarget } from './core/queue/queue-url';
export { stableJson } from './core/queue/stable-json';
export type { ExecutorEvents, ExecutorRun, PendingUnit, UnitExecutor } from './core/queue/unit-executor';
export { QUEUE_PREFIX, UNIT_QUEUE, type UnitJobData, type UnitJobResult, unitJobId } from './core/queue/unit-job';
export { encodePng, pngDataUri } from './core/report/png';
export { configurationTables, toCsv, toMarkdown } from './core/report/tables';
export type { TaskReportContext, TaskReportSection, TaskReportSections } from './core/report/task-sections';
export { readResultsFile } from './core/results/read-results';
export {
  type DataFile,
  type MetricSet,
  RESULTS_SCHEMA_VERSION,
  type ResultsFile,
  resultsFileSchema,
  type TrainingEpoch,
  type TrialResult,
} from './core/results/results-file';
export { AVERAGE_OOD, METRIC_KEYS, summarizeConfiguration, withSummaries } from './core/results/summarize';
export { type RunOptions, type RunPlan, type RunReporter, type RunResult, runExperiment, type UnitEnd } from './core/run-experiment';
export * as seeds from './core/seeds';
export { RESULTS_FILE } from './core/store/open-run';
export { UNIT_FILE, UNITS_DIR, type UnitRecord, unitSchema } from './core/store/unit-store';
export { writeFileAtomic } from './core/store/write-file-atomic';
export type { LoadedData, RunConfig, Task, TrainProgress, UnitContext } from './core/task';
export { ConfigError, ExperimentError, InterruptedError } from './experiment-error';
export { formatOneClassConfig } from './tasks/one-class/config/format-config';
export {
  CSI_CURVATURES,
  ONE_CLASS_DATASETS,
  ONE_CLASS_MODEL_NAMES,
  ONE_CLASS_MODEL_TABLE,
  type OneClassConfig,
  type OneClassConfigInput,
  type OneClassModelName,
  oneClassConfigSchema,
  parseOneClassConfig,
  ROTNET_CURVATURES,
  SCORINGS,
  type Scoring,
} from './tasks/one-class/config/one-class-config';
export { listOneClassPresets, oneClassPresetConfig, oneClassPresetInput } from './tasks/one-class/config/presets';
export { QUICK_NORMAL_CLASSES, QUICK_ONE_CLASS_LIMITS } from './tasks/one-class/config/quick';
export { type ResolveOneClassConfigOptions, resolveOneClassConfig } from './tasks/one-class/config/resolve-config';
export {
  EXAMPLES_PER_END,
  type ExampleImagesOptions,
  exampleMethods,
  type LoadTestImages,
  type TestImages,
} from './tasks/one-class/report/example-images';
export { oneClassReportSections, oneClassReportSectionsWith } from './tasks/one-class/report/report-sections';
export { TABLE_VI_METRICS, tableVi, tableViMarkdown } from './tasks/one-class/report/table-vi';
export { type RunOneClassOptions, runOneClassExperiment, TABLE_VI_FILE } from './tasks/one-class/run-one-class-experiment';
export { oneClassTask } from './tasks/one-class/task';
export { formatOodConfig } from './tasks/ood/config/format-config';
export { type ConfigHeadOptions, headOptions } from './tasks/ood/config/head-options';
export {
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
} from './tasks/ood/config/ood-config';
export { listPresets, type PresetOverrides, presetConfig, presetInput, QUICK_LIMITS } from './tasks/ood/config/presets';
export { type ResolveOodConfigOptions, resolveOodConfig } from './tasks/ood/config/resolve-config';
export { describeDetectors, type RescoreOptions, type RescoreReporter, type RescoreResult, rescoreRun } from './tasks/ood/rescore-run';
export { type RunOodOptions, type RunOodResult, runOodExperiment } from './tasks/ood/run-ood-experiment';
export { DETECTOR_DESCRIPTIONS, DETECTOR_NAMES, type DetectorName } from './tasks/ood/score/score-methods';
export { oodTask } from './tasks/ood/task';
export { formatPatchSvddConfig } from './tasks/patch-svdd/config/format-config';
export {
  categoryConfiguration,
  PATCH_SVDD_CURVATURES,
  PATCH_SVDD_DATASETS,
  PATCH_SVDD_MODEL_NAMES,
  PATCH_SVDD_SCORINGS,
  type PatchSvddConfig,
  type PatchSvddConfigInput,
  type PatchSvddModelName,
  parsePatchSvddConfig,
  patchSvddConfigSchema,
} from './tasks/patch-svdd/config/patch-svdd-config';
export { listPatchSvddPresets, patchSvddPresetConfig, patchSvddPresetInput } from './tasks/patch-svdd/config/presets';
export { QUICK_IMAGES as QUICK_PATCH_SVDD_IMAGES } from './tasks/patch-svdd/config/quick';
export { type ResolvePatchSvddConfigOptions, resolvePatchSvddConfig } from './tasks/patch-svdd/config/resolve-config';
export { patchSvddTable, patchSvddTablesMarkdown } from './tasks/patch-svdd/report/table-viii-ix';
export {
  type RunPatchSvddOptions,
  runPatchSvddExperiment,
  TABLE_IX_FILE,
  TABLE_VIII_FILE,
} from './tasks/patch-svdd/run-patch-svdd-experiment';
export { ANOMALY_MAPS_SET } from './tasks/patch-svdd/run-unit';
export { distributeScores } from './tasks/patch-svdd/score/distribute-scores';
export { IMAGE_SET, PIXEL_SET } from './tasks/patch-svdd/score/segmentation-metrics';
export { patchSvddTask } from './tasks/patch-svdd/task';
export { formatSegmentationConfig } from './tasks/segmentation/config/format-config';
export { listSegmentationPresets, segmentationPresetConfig, segmentationPresetInput } from './tasks/segmentation/config/presets';
export { QUICK_SCENES, QUICK_STREET_HAZARDS_SIZE } from './tasks/segmentation/config/quick';
export { type ResolveSegmentationConfigOptions, resolveSegmentationConfig } from './tasks/segmentation/config/resolve-config';
export {
  parseSegmentationConfig,
  SEGMENTATION_CURVATURES,
  SEGMENTATION_DATASETS,
  SEGMENTATION_MODEL_NAMES,
  type SegmentationConfig,
  type SegmentationConfigInput,
  type SegmentationModelName,
  segmentationConfigSchema,
} from './tasks/segmentation/config/segmentation-config';
export { tableVii, tableViiMarkdown } from './tasks/segmentation/report/table-vii';
export { type RunSegmentationOptions, runSegmentationExperiment, TABLE_VII_FILE } from './tasks/segmentation/run-segmentation-experiment';
export { SCORE_MAPS_SET } from './tasks/segmentation/run-unit';
export { PER_IMAGE_SET, POOLED_SET } from './tasks/segmentation/score/pixel-protocol';
export { segmentationTask } from './tasks/segmentation/task';
export { writeReport } from './write-task-report';
