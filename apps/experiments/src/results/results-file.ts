import { z } from 'zod';

/**
 * results.json: everything a run measured, self-sufficient for `curvad report DIR` (tables and
 * plots are rebuilt from it alone). Metrics are fractions in [0, 1]; the report prints percentages.
 * Raw per-sample scores live beside it in `scores/` (binary, not needed by the report).
 */
export const RESULTS_SCHEMA_VERSION = 1;

export const metricSetSchema = z.object({
  auroc: z.number(),
  auprIn: z.number(),
  auprOut: z.number(),
  fpr95: z.number(),
  detectionError: z.number(),
});
export type MetricSet = z.infer<typeof metricSetSchema>;

/** A histogram of anomaly scores (shared bin edges for ID and every OOD set of one method). */
export const scoreHistogramSchema = z.object({
  method: z.string(),
  edges: z.array(z.number()),
  /** Counts per set name ('ID' and each OOD set), normalized to densities by the plot. */
  counts: z.record(z.string(), z.array(z.number())),
});
export type ScoreHistogram = z.infer<typeof scoreHistogramSchema>;

export const rocPlotSchema = z.object({
  method: z.string(),
  oodSet: z.string(),
  fpr: z.array(z.number()),
  tpr: z.array(z.number()),
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
  perOod: z.record(z.string(), metricSetSchema),
});
export type MethodResult = z.infer<typeof methodResultSchema>;

export const trialResultSchema = z.object({
  trial: z.number().int().nonnegative(),
  seed: z.number().int(),
  status: z.enum(['completed', 'failed']),
  error: z.string().optional(),
  wallTimeSec: z.number(),
  /** ID test accuracy per trained model. */
  idAccuracy: z.record(z.string(), z.number()),
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

export const configurationResultSchema = z.object({
  /** e.g. 'all-classes' or 'holdout-0-5'. */
  name: z.string(),
  description: z.string(),
  idDataset: z.string(),
  oodSets: z.array(z.string()),
  trials: z.array(trialResultSchema),
  /** Derived from `trials` (rewritten with every save): mean and std per method, OOD set and metric. */
  summary: z.array(summaryRowSchema).optional(),
});
export type ConfigurationResult = z.infer<typeof configurationResultSchema>;

export const resultsFileSchema = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  experiment: z.string(),
  preset: z.string().optional(),
  command: z.string(),
  config: z.unknown(),
  seeds: z.array(z.number().int()),
  backend: z.string(),
  versions: z.record(z.string(), z.string()),
  gitCommit: z.string().nullable(),
  startedAt: z.string(),
  updatedAt: z.string(),
  wallTimeSec: z.number(),
  complete: z.boolean(),
  configurations: z.array(configurationResultSchema),
});
export type ResultsFile = z.infer<typeof resultsFileSchema>;
