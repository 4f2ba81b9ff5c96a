import { z } from 'zod';

/**
 * results.json: everything a run measured, self-sufficient for `curvad report DIR` (tables and
 * plots are rebuilt from it alone). Metrics are fractions in [0, 1]; the report prints percentages.
 * Raw per-sample scores live beside it in `scores/` (binary, not needed by the report).
 */
export const RESULTS_SCHEMA_VERSION = 1;

/** A fraction in [0, 1] (a metric; a percentage here is a mistake the reader must hear about). */
const fraction = z.number().min(0, 'metrics are fractions in [0, 1]').max(1, 'metrics are fractions in [0, 1], not percentages');

export const metricSetSchema = z.object({
  auroc: fraction,
  auprIn: fraction,
  auprOut: fraction,
  fpr95: fraction,
  detectionError: fraction,
});
export type MetricSet = z.infer<typeof metricSetSchema>;

/** A row's metric set as stored: the detection metrics, plus AUPRO (to FPR 0.3) on the pixel rows of the patch-svdd task. */
export const storedMetricSetSchema = metricSetSchema.extend({ aupro: fraction.optional() });
export type StoredMetricSet = z.infer<typeof storedMetricSetSchema>;

/** A histogram of anomaly scores (shared bin edges for ID and every OOD set of one method). */
export const scoreHistogramSchema = z.object({
  method: z.string(),
  edges: z.array(z.number()),
  /** Counts per set name ('ID' and each OOD set), normalized to densities by the plot. */
  counts: z.record(z.string(), z.array(z.number())),
  /**
   * Scores outside [edges[0], edges[last]] per set, left out of `counts` (files without it put them
   * into the end bins, and how many is not known).
   */
  clipped: z
    .object({ below: z.record(z.string(), z.number().int().nonnegative()), above: z.record(z.string(), z.number().int().nonnegative()) })
    .optional(),
});
export type ScoreHistogram = z.infer<typeof scoreHistogramSchema>;

export const rocPlotSchema = z.object({
  method: z.string(),
  oodSet: z.string(),
  fpr: z.array(z.number()),
  tpr: z.array(z.number()),
  /** The exact AUROC of the full curve (the points above are downsampled for display). */
  auroc: fraction.optional(),
});
export type RocPlot = z.infer<typeof rocPlotSchema>;

/** 2-D embedding of ID and OOD points for the paper's Fig. 2 (geometry: where the points live). */
export const embeddingPlotSchema = z.object({
  model: z.string(),
  geometry: z.enum(['euclidean', 'poincare', 'sphere']),
  /** Radius of the disk / circle (1/sqrt|k|); absent for Euclidean. */
  radius: z.number().optional(),
  points: z.array(z.object({ x: z.number(), y: z.number(), set: z.string() })),
});
export type EmbeddingPlot = z.infer<typeof embeddingPlotSchema>;

export const methodResultSchema = z.object({
  /** Table row name, e.g. 'MSP', 'MSP +HiO', 'ODIN', 'ODIN +HiO'. */
  method: z.string(),
  /** The trained model it scores ('baseline', 'SiO', 'HiO', ...). */
  model: z.string(),
  /** Score that ranks the samples, e.g. 'msp', 'zH', 'zEG'. */
  score: z.string(),
  perOod: z.record(z.string(), storedMetricSetSchema),
});
export type MethodResult = z.infer<typeof methodResultSchema>;

export const trainingEpochSchema = z.object({
  /** 0-based. */
  epoch: z.number().int().nonnegative(),
  /** Mean training loss over the epoch's samples. */
  loss: z.number(),
  /** Wall time of the epoch. */
  seconds: z.number().nonnegative(),
  idAccuracy: fraction.optional(),
});
export type TrainingEpoch = z.infer<typeof trainingEpochSchema>;

export const trialResultSchema = z.object({
  trial: z.number().int().nonnegative(),
  seed: z.number().int(),
  status: z.enum(['completed', 'failed']),
  error: z.string().optional(),
  wallTimeSec: z.number(),
  /** ID test accuracy per trained model. */
  idAccuracy: z.record(z.string(), fraction),
  /** Training curve per trained model: mean loss (and ID test accuracy where measured) per epoch. */
  training: z.record(z.string(), z.array(trainingEpochSchema)).optional(),
  methods: z.array(methodResultSchema),
  plots: z
    .object({
      histograms: z.array(scoreHistogramSchema),
      roc: z.array(rocPlotSchema),
      embeddings: z.array(embeddingPlotSchema),
    })
    .optional(),
});
export type TrialResult = z.infer<typeof trialResultSchema>;

/** Mean and sample std over the completed trials (std null for one trial), with the trial values. */
export const summaryCellSchema = z.object({
  mean: z.number(),
  std: z.number().nullable(),
  n: z.number().int(),
  values: z.array(z.number()),
});

/** One method of a configuration over its trials, per OOD set and 'average' (see summarize.ts). */
export const summaryRowSchema = z.object({
  method: z.string(),
  model: z.string(),
  idAccuracy: summaryCellSchema.nullable(),
  perOod: z.record(z.string(), z.record(z.string(), summaryCellSchema)),
});

/**
 * The per-channel statistics a configuration's images were standardized with, (v / 255 - mean[c]) / std[c]:
 * mean and population std of its ID training images on the [0, 1] scale (absent: not standardized).
 */
export const inputStandardizationSchema = z.object({
  mean: z.array(z.number()).min(1),
  std: z.array(z.number().positive()).min(1),
  /** How many ID training images the statistics were computed over. */
  images: z.number().int().positive(),
});
export type InputStandardization = z.infer<typeof inputStandardizationSchema>;

export const configurationResultSchema = z.object({
  /** e.g. 'all-classes' or 'holdout-0-5'. */
  name: z.string(),
  description: z.string(),
  idDataset: z.string(),
  oodSets: z.array(z.string()),
  /** Input standardization of this configuration (absent in files made before it was recorded, and when off). */
  inputStandardization: inputStandardizationSchema.optional(),
  trials: z.array(trialResultSchema),
  /** Derived from `trials` (rewritten with every save): mean and std per method, OOD set and metric. */
  summary: z.array(summaryRowSchema).optional(),
});
export type ConfigurationResult = z.infer<typeof configurationResultSchema>;

/** A data file a run read (provenance): which configuration and part used it, its size and SHA-256. */
export const dataFileSchema = z.object({
  configuration: z.string(),
  /** 'train', 'test' or an OOD set's name. */
  part: z.string(),
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type DataFile = z.infer<typeof dataFileSchema>;

export const resultsFileSchema = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  experiment: z.string(),
  preset: z.string().optional(),
  /** A `--quick` smoke run: its numbers are not comparable to the full preset's. */
  quick: z.boolean().optional(),
  command: z.string(),
  config: z.unknown(),
  seeds: z.array(z.number().int()),
  /** The tfjs backend's name ('wasm', 'cpu', 'tensorflow'); `backendDetail` says why it was chosen. */
  backend: z.string(),
  backendDetail: z.string().optional(),
  /** Every data file read, per configuration and part (absent in files made before it was recorded). */
  dataFiles: z.array(dataFileSchema).optional(),
  versions: z.record(z.string(), z.string()),
  gitCommit: z.string().nullable(),
  startedAt: z.string(),
  updatedAt: z.string(),
  wallTimeSec: z.number(),
  complete: z.boolean(),
  configurations: z.array(configurationResultSchema),
});
export type ResultsFile = z.infer<typeof resultsFileSchema>;
