import { z } from 'zod';
import { describeIssues } from '../../../core/config/config-issues';
import { strictObject } from '../../../core/config/strict-object';
import { ConfigError } from '../../../experiment-error';

/**
 * A multi-class anomaly segmentation experiment as data (paper Sec. V-C, Table VII): a U-Net with a
 * Euclidean per-pixel classifier (and, for SiT / HiT / MiT, the released per-pixel geometric head
 * beside it) is trained on scenes of known classes and scored pixel by pixel on test scenes holding
 * objects it never saw. Every object is strict.
 */

/** The models of Table VII: the Euclidean per-pixel classifier alone (scored by MSP and MaxLogit), or with a geometric head. */
export const SEGMENTATION_MODEL_TABLE = {
  baseline: { geometry: null },
  SiT: { geometry: 'sphere' },
  HiT: { geometry: 'poincare' },
  MiT: { geometry: 'mixed' },
} as const satisfies Record<string, { geometry: 'sphere' | 'poincare' | 'mixed' | null }>;

export type SegmentationModelName = keyof typeof SEGMENTATION_MODEL_TABLE;
export const SEGMENTATION_MODEL_NAMES = Object.keys(SEGMENTATION_MODEL_TABLE) as [SegmentationModelName, ...SegmentationModelName[]];

/** The released segmentation configs' curvatures: sphere 1.0, ball -0.01, mixed (1.0, -0.01). */
export const SEGMENTATION_CURVATURES = { SiT: 1, HiT: -0.01, MiT: [1, -0.01] as [number, number] };

export const SEGMENTATION_DATASETS = ['fmnist-scenes', 'streethazards'] as const;

/** Which end of z_EG / z_EM is anomalous: the released code's (larger = anomalous), the text's (1 - tanh z), or both rows. */
export const SEGMENTATION_DIRECTIONS = ['released', 'text', 'both'] as const;

export const segmentationConfigSchema = strictObject({
  name: z.string().min(1),
  dataset: z.enum(SEGMENTATION_DATASETS),
  /** The composed scenes of 'fmnist-scenes' (datasets' segmentationScenes): Fashion-MNIST objects, MNIST digits as anomalies. */
  scenes: strictObject({
    /** Scene side in pixels; a multiple of grid and of 2^unet.depth. */
    size: z.number().int().min(8).default(64),
    /** Cells per side; a cell (size / grid) must hold a 28x28 item. */
    grid: z.number().int().min(1).default(2),
    /** Training scenes (no anomaly), composed from the Fashion-MNIST training split. */
    train: z.number().int().positive().default(2000),
    /** Test scenes, composed from the Fashion-MNIST and MNIST test splits. */
    test: z.number().int().positive().default(200),
    /** MNIST digits per test scene, in distinct cells. */
    anomaliesPerScene: z.number().int().min(1).default(1),
    /** Probability that a cell without an anomaly holds an object. */
    objectProbability: z.number().min(0).max(1).default(0.75),
    /** Background texture: uniform noise in [0, backgroundNoise] uint8 levels (0: black). */
    backgroundNoise: z.number().int().min(0).max(255).default(0),
  }).prefault({}),
  /** StreetHazards (dataset 'streethazards'): scenes resized to [height, width], optional folder and limits. */
  streetHazards: strictObject({
    size: z.tuple([z.number().int().positive(), z.number().int().positive()]).default([256, 512]),
    dir: z.string().min(1).optional(),
    /** Training scenes read (absent: all 5,125). */
    train: z.number().int().positive().optional(),
    /** Test scenes read (absent: all 1,500). */
    test: z.number().int().positive().optional(),
  }).prefault({}),
  /** The segmentation network: @curvad/backbones' U-Net. */
  unet: strictObject({
    depth: z.number().int().min(1).max(6).default(2),
    width: z.number().int().positive().default(16),
    /** Channels of the per-pixel feature the heads read. */
    embeddingDim: z.number().int().min(2).default(32),
  }).prefault({}),
  /** Channels of the geometric head's shared 3x3 conv (absent: the feature's channels). */
  headDim: z.number().int().min(2).optional(),
  models: z.array(z.enum(SEGMENTATION_MODEL_NAMES)).min(1),
  curvatures: strictObject({
    SiT: z.number().positive(),
    HiT: z.number().negative(),
    MiT: z.tuple([z.number().positive(), z.number().negative()]),
  }).default(SEGMENTATION_CURVATURES),
  /** Weight of each geometric loss term beside l_E (the released code's 0.1). */
  geometricLossWeight: z.number().min(0).default(0.1),
  divergenceDirection: z.enum(SEGMENTATION_DIRECTIONS).default('released'),
  /** MiT's released segmentation score sqrt(maxlogit^2 + z_ES^2 + z_EH^2) (true) or the text's Eq. 13 sqrt(z_ES^2 + z_EH^2). */
  mitMaxLogit: z.boolean().default(true),
  optimizer: strictObject({
    name: z.enum(['sgd', 'momentum', 'adam']).default('adam'),
    learningRate: z.number().positive().default(1e-3),
    momentum: z.number().min(0).max(1).default(0.9),
    milestones: z.array(z.number().int().positive()).default([]),
    gamma: z.number().positive().max(1).default(0.1),
  }).prefault({}),
  /** Epochs; the final epoch's model is scored. */
  epochs: z.number().int().positive(),
  /** Scenes per training step. */
  batchSize: z.number().int().positive(),
  /** Trials (>= 3 in the presets; --quick runs 1). */
  trials: z.number().int().positive().default(3),
  seed: z.number().int().nonnegative().default(0),
  /** Test scenes whose score maps are shown in report.html. */
  reportScenes: z.number().int().min(0).default(4),
});

export type SegmentationConfig = z.infer<typeof segmentationConfigSchema>;
export type SegmentationConfigInput = z.input<typeof segmentationConfigSchema>;

/** The one configuration of a segmentation run (results.json). */
export const SEGMENTATION_CONFIGURATION = 'scenes';

/** Validates `input`: one line per problem naming the field, under a heading naming where the config came from. */
export function parseSegmentationConfig(input: unknown, source?: string): SegmentationConfig {
  const heading = `invalid segmentation experiment config${source ? ` (${source})` : ''}:`;
  const result = segmentationConfigSchema.safeParse(input);
  if (!result.success) throw new ConfigError(`${heading}\n  ${describeIssues(result.error.issues, input).join('\n  ')}`);
  const config = result.data;
  const problems: string[] = [];
  if (new Set(config.models).size !== config.models.length) {
    problems.push(`models: each entry may appear once (got ${JSON.stringify(config.models)}).`);
  }
  const multiple = 2 ** config.unet.depth;
  const [height, width] = config.dataset === 'streethazards' ? config.streetHazards.size : [config.scenes.size, config.scenes.size];
  if (height % multiple !== 0 || width % multiple !== 0) {
    problems.push(
      `${config.dataset === 'streethazards' ? 'streetHazards.size' : 'scenes.size'}: ${height}x${width} must be a multiple of 2^unet.depth = ${multiple}; change the size or unet.depth.`,
    );
  }
  if (config.dataset === 'fmnist-scenes') {
    const { size, grid, anomaliesPerScene } = config.scenes;
    if (size % grid !== 0 || size / grid < 28) {
      problems.push(
        `scenes.size: ${size} must be a multiple of scenes.grid (${grid}) with cells of at least 28 pixels (a Fashion-MNIST item).`,
      );
    }
    if (anomaliesPerScene > grid * grid) {
      problems.push(
        `scenes.anomaliesPerScene: ${anomaliesPerScene} is more than the ${grid * grid} cells of a scene; lower it or raise scenes.grid.`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(`${heading}\n  ${problems.join('\n  ')}`);
  return config;
}

/** A recorded config with the defaults of fields added since filled in (as recorded when it no longer validates). */
export function withConfigDefaults(recorded: unknown): unknown {
  const result = segmentationConfigSchema.safeParse(recorded);
  return result.success ? result.data : recorded;
}

/** The curvature (a pair for MiT) of a geometric model. */
export function segmentationCurvature(
  name: SegmentationModelName,
  config: Pick<SegmentationConfig, 'curvatures'>,
): number | [number, number] {
  if (name === 'baseline') throw new ConfigError('model baseline has no geometric head, so no curvature.');
  return config.curvatures[name];
}
