import { MVTEC_CATEGORIES } from '@curvad/datasets';
import { z } from 'zod';
import { describeIssues } from '../../../core/config/config-issues';
import { strictObject } from '../../../core/config/strict-object';
import { ConfigError } from '../../../experiment-error';

/**
 * A one-class anomaly segmentation experiment as data (paper Sec. V-D, Tables VIII and IX): the
 * Patch-SVDD encoders of @curvad/backbones (a hierarchical encoder of `patch.size` pixel patches whose
 * nested encoder reads the half-size patches) learn from defect-free images with the SVDD' loss and the
 * 8-way relative-position task; the position classifier is Euclidean (baseline), replaced by a geometric
 * one (GiO: SiO, HiO, MiO) or flanked by one (GiT: SiT, HiT, MiT). Every object is strict.
 */

/** The models of Tables VIII and IX: which position classifiers each has. */
export const PATCH_SVDD_MODEL_TABLE = {
  baseline: { kind: 'baseline', geometry: null },
  SiO: { kind: 'gio', geometry: 'sphere' },
  HiO: { kind: 'gio', geometry: 'poincare' },
  MiO: { kind: 'gio', geometry: 'mixed' },
  SiT: { kind: 'git', geometry: 'sphere' },
  HiT: { kind: 'git', geometry: 'poincare' },
  MiT: { kind: 'git', geometry: 'mixed' },
} as const satisfies Record<string, { kind: 'baseline' | 'gio' | 'git'; geometry: 'sphere' | 'poincare' | 'mixed' | null }>;

export type PatchSvddModelName = keyof typeof PATCH_SVDD_MODEL_TABLE;
export const PATCH_SVDD_MODEL_NAMES = Object.keys(PATCH_SVDD_MODEL_TABLE) as [PatchSvddModelName, ...PatchSvddModelName[]];

/** Table VIII's curvatures: GiO sphere 1.0, ball -0.01, mixed (1.0, -0.01); GiT sphere 1.0, ball -1.0, mixed (1.0, -1.0). */
export const PATCH_SVDD_CURVATURES = {
  SiO: 1,
  HiO: -0.01,
  MiO: [1, -0.01] as [number, number],
  SiT: 1,
  HiT: -1,
  MiT: [1, -1] as [number, number],
};

export const PATCH_SVDD_DATASETS = ['defect-benchmark', 'mvtec'] as const;

/** The two scorings of the tables: the paper's dagger scoring (no training data, Table VIII) and Patch-SVDD's nearest training patch (Table IX). */
export const PATCH_SVDD_SCORINGS = ['dagger', 'knn'] as const;
export type PatchSvddScoring = (typeof PATCH_SVDD_SCORINGS)[number];

export const patchSvddConfigSchema = strictObject({
  name: z.string().min(1),
  dataset: z.enum(PATCH_SVDD_DATASETS),
  /**
   * The categories, one configuration each: Fashion-MNIST class ids for 'defect-benchmark'
   * (DEFECT_BENCHMARK_CATEGORIES of @curvad/datasets by default), MVTec AD category names for 'mvtec'.
   */
  categories: z.array(z.union([z.number().int().min(0).max(9), z.string().min(1)])).min(1),
  /** The offline defect benchmark (@curvad/datasets' defectBenchmark): normal images of one class, synthetic defects on test images only. */
  benchmark: strictObject({
    /** Image side in pixels (the 28x28 items are upsampled bilinearly). */
    size: z.number().int().min(32).default(128),
    /** Normal training images per category (from its training split). */
    train: z.number().int().positive().default(300),
    /** Test images per category (its test split), `defectFraction` of them with a defect. */
    test: z.number().int().positive().default(40),
    defectFraction: z.number().gt(0).lt(1).default(0.5),
  }).prefault({}),
  /** MVTec AD ('mvtec'): images and masks resized to `size`, optional folder and limits. */
  mvtec: strictObject({
    size: z.number().int().min(32).default(256),
    dir: z.string().min(1).optional(),
    train: z.number().int().positive().optional(),
    test: z.number().int().positive().optional(),
  }).prefault({}),
  /** Patch geometry: the large patch side K (32 * 2^n, at least 64) and its half K/2, each with its scoring stride. */
  patch: strictObject({
    size: z.number().int().min(64).default(64),
    /** Stride of the K patches at scoring (the released code: 16 at K = 64). */
    largeStride: z.number().int().positive().default(16),
    /** Stride of the K/2 patches at scoring (the released code: 4 at K/2 = 32). */
    smallStride: z.number().int().positive().default(4),
  }).prefault({}),
  /** Encoder embedding size D (the released code's 64). */
  embeddingDim: z.number().int().min(2).default(64),
  /** Width of the position classifiers' hidden layers (the released code's D_emb = 128). */
  hiddenUnits: z.number().int().min(2).default(128),
  models: z.array(z.enum(PATCH_SVDD_MODEL_NAMES)).min(1),
  curvatures: strictObject({
    SiO: z.number().positive(),
    HiO: z.number().negative(),
    MiO: z.tuple([z.number().positive(), z.number().negative()]),
    SiT: z.number().positive(),
    HiT: z.number().negative(),
    MiT: z.tuple([z.number().positive(), z.number().negative()]),
  }).default(PATCH_SVDD_CURVATURES),
  /** lambda: loss = position CE terms + svddWeight x SVDD' loss (the released code's 1e-3). */
  svddWeight: z.number().min(0).default(1e-3),
  /** Std of the released code's colour shift and pixel noise on the position pairs (0.02 on standardized pixels). */
  positionNoise: z.number().min(0).default(0.02),
  scorings: z.array(z.enum(PATCH_SVDD_SCORINGS)).min(1).default(['dagger', 'knn']),
  /** Patch-SVDD scoring: training images whose patches (at the scoring strides) are the neighbours searched (absent: all). */
  knnTrainImages: z.number().int().positive().optional(),
  optimizer: strictObject({
    /** Adam, as the released code (lr 1e-4 there). */
    learningRate: z.number().positive().default(1e-4),
  }).prefault({}),
  /** Training epochs; 0 scores the untrained model (a control: what the initial encoder and heads give). */
  epochs: z.number().int().min(0),
  /** Training steps per epoch; each step draws `batchSize` position pairs and SVDD pairs per scale. */
  stepsPerEpoch: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  trials: z.number().int().positive().default(3),
  seed: z.number().int().nonnegative().default(0),
  /**
   * Test images per category that report.html draws (defective ones first), each with its mask and
   * every row's anomaly heatmap from the first completed trial; 0 leaves the section out.
   */
  reportImages: z.number().int().min(0).default(3),
});

export type PatchSvddConfig = z.infer<typeof patchSvddConfigSchema>;
export type PatchSvddConfigInput = z.input<typeof patchSvddConfigSchema>;

/** The name of a category's configuration in results.json. */
export function categoryConfiguration(category: number | string): string {
  return typeof category === 'number' ? `class-${category}` : category;
}

/** Validates `input`: one line per problem naming the field, under a heading naming where the config came from. */
export function parsePatchSvddConfig(input: unknown, source?: string): PatchSvddConfig {
  const heading = `invalid patch-svdd experiment config${source ? ` (${source})` : ''}:`;
  const result = patchSvddConfigSchema.safeParse(input);
  if (!result.success) throw new ConfigError(`${heading}\n  ${describeIssues(result.error.issues, input).join('\n  ')}`);
  const config = result.data;
  const problems: string[] = [];
  if (new Set(config.models).size !== config.models.length)
    problems.push(`models: each entry may appear once (got ${JSON.stringify(config.models)}).`);
  if (new Set(config.categories).size !== config.categories.length) {
    problems.push(`categories: each entry may appear once (got ${JSON.stringify(config.categories)}).`);
  }
  const wrongKind = config.categories.filter((c) => (config.dataset === 'mvtec' ? typeof c !== 'string' : typeof c !== 'number'));
  if (wrongKind.length > 0) {
    problems.push(
      config.dataset === 'mvtec'
        ? `categories: MVTec AD categories are names such as "bottle", got ${JSON.stringify(wrongKind)}.`
        : `categories: defect-benchmark categories are Fashion-MNIST class ids 0-9, got ${JSON.stringify(wrongKind)}.`,
    );
  }
  const unknown =
    config.dataset === 'mvtec'
      ? config.categories.filter((c) => typeof c === 'string' && !(MVTEC_CATEGORIES as readonly string[]).includes(c))
      : [];
  if (unknown.length > 0) {
    problems.push(`categories: ${JSON.stringify(unknown)} not MVTec AD categories; choose from ${MVTEC_CATEGORIES.join(', ')}.`);
  }
  const { size, largeStride, smallStride } = config.patch;
  const ratio = size / 32;
  if (!Number.isInteger(ratio) || (ratio & (ratio - 1)) !== 0) {
    problems.push(`patch.size: ${size} must be 64, 128, ... (32 x 2^n, the hierarchical Patch-SVDD encoder of @curvad/backbones).`);
  }
  const side = config.dataset === 'mvtec' ? config.mvtec.size : config.benchmark.size;
  const imageField = config.dataset === 'mvtec' ? 'mvtec.size' : 'benchmark.size';
  if (side < size)
    problems.push(`${imageField}: ${side} is smaller than patch.size ${size}; raise the image size or lower the patch size.`);
  if ((side - size) % largeStride !== 0 || (side - size / 2) % smallStride !== 0) {
    problems.push(
      `patch: the strides must tile the image exactly: (${imageField} ${side} - ${size}) divisible by largeStride ${largeStride} and (${side} - ${size / 2}) by smallStride ${smallStride}.`,
    );
  }
  if (problems.length > 0) throw new ConfigError(`${heading}\n  ${problems.join('\n  ')}`);
  return config;
}

/** A recorded config with the defaults of fields added since filled in (as recorded when it no longer validates). */
export function withConfigDefaults(recorded: unknown): unknown {
  const result = patchSvddConfigSchema.safeParse(recorded);
  return result.success ? result.data : recorded;
}

/** The image side of the run's data. */
export function imageSide(config: Pick<PatchSvddConfig, 'dataset' | 'benchmark' | 'mvtec'>): number {
  return config.dataset === 'mvtec' ? config.mvtec.size : config.benchmark.size;
}
