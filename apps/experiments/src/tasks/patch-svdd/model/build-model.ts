// The Patch-SVDD models of Tables VIII and IX as the released code builds them (one-class-seg/
// gio-git-patch-svdd, networks*.py): the hierarchical encoder of @curvad/backbones for K x K patches
// (its nested encoder reads the K/2 patches) and, per scale, position classifiers on the difference
// x = emb(p1) - emb(p2) of two embeddings:
// - Euclidean: @curvad/backbones' patchSvddPositionClassifier (dense 128, LeakyReLU, dense 128,
//   LeakyReLU, NormalizedLinear to 8 logits);
// - sphere: dense, LeakyReLU, dense, LeakyReLU, then SphereFace's AngleLinear with m = 1 on the raw
//   feature (geo-layers' AngularLinear, variant 'sphereface', as the released SiT);
// - Poincare ball: ToPoincare (expmap0, margin 1e-3, the Riemannian gradient, as hyptorch) ->
//   HypLinear -> LeakyReLU -> HypLinear -> LeakyReLU -> HypMLR (Ganea et al.); the released code also
//   applies the LeakyReLU after the second HypLinear, and so do we. Its input is the embedding e_H
//   (after the second activation) whose distance to the origin is z_H.
// GiO (SiO / HiO / MiO) has only the geometric classifier(s); GiT (SiT / HiT / MiT) has the Euclidean
// one and the geometric branch(es) beside it; the baseline has the Euclidean one.
import { patchSvddEncoder, patchSvddInnerEncoder, patchSvddPositionClassifier } from '@curvad/backbones';
import { AngularLinear, HypLinear, HypMLR, ToPoincare } from '@curvad/geo-layers';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { layerSeed } from '../../../core/seeds';
import { PATCH_SVDD_MODEL_TABLE, type PatchSvddConfig, type PatchSvddModelName } from '../config/patch-svdd-config';

/** Relative positions of the self-supervised task: the 8 neighbours of a 3x3 grid. */
export const POSITION_CLASSES = 8;
/** The released code's LeakyReLU slope. */
const LEAKY_SLOPE = 0.1;
/** hyptorch's ToPoincare margin (the released code). */
const RELEASED_BALL_MARGIN = 1e-3;
/** Seed offsets of the branches of one scale's classifiers (added to the unit's head seed). */
const BRANCH_SEED = { euclidean: 0, sphere: 100, poincare: 200 } as const;
/** The large scale's classifiers and the small scale's differ by this seed offset. */
const SCALE_SEED_STRIDE = 1000;

export type PatchScale = 'large' | 'small';
export const PATCH_SCALES: readonly PatchScale[] = ['large', 'small'];

/** One scale's position classifiers; each present branch maps to its logits (and the ball to its embedding). */
export interface PositionClassifiers {
  /** The Euclidean classifier on [centre, neighbour] embeddings (baseline, GiT). */
  euclidean?: tfl.LayersModel;
  /** Sphere branch on x = centre - neighbour: the AngleLinear logits. */
  sphere?: tfl.LayersModel;
  /** Ball branch on x: [HypMLR logits, embedding e_H]. */
  poincare?: tfl.LayersModel;
  /** Curvatures of the geometric branches. */
  k: { sphere?: number; poincare?: number };
}

/** The outputs of one scale's classifiers on a batch of pairs (the caller disposes them). */
export interface PositionOutputs {
  euclidean?: tf.Tensor2D;
  sphere?: tf.Tensor2D;
  poincare?: tf.Tensor2D;
  poincareEmbedding?: tf.Tensor2D;
}

export interface BuiltPatchSvdd {
  name: PatchSvddModelName;
  /** The K x K encoder (hierarchical); `encoders.small` is its nested K/2 encoder (shared weights). */
  encoders: Record<PatchScale, tfl.LayersModel>;
  classifiers: Record<PatchScale, PositionClassifiers>;
  /** Patch side per scale. */
  patchSize: Record<PatchScale, number>;
  /** Every trainable weight of the model, once. */
  trainableWeights(): tf.Variable[];
  /** Every layers model (to save and to dispose). */
  models(): tfl.LayersModel[];
  dispose(): void;
}

/** The curvature(s) of a model's geometric head: sphere and / or ball. */
export function modelCurvatures(
  name: PatchSvddModelName,
  config: Pick<PatchSvddConfig, 'curvatures'>,
): { sphere?: number; poincare?: number } {
  if (name === 'baseline') return {};
  const geometry = PATCH_SVDD_MODEL_TABLE[name].geometry;
  const k = config.curvatures[name];
  if (geometry === 'mixed') {
    const [sphere, poincare] = k as [number, number];
    return { sphere, poincare };
  }
  return geometry === 'sphere' ? { sphere: k as number } : { poincare: k as number };
}

function leaky(x: tfl.SymbolicTensor, name: string): tfl.SymbolicTensor {
  return tfl.layers.leakyReLU({ alpha: LEAKY_SLOPE, name }).apply(x) as tfl.SymbolicTensor;
}

function sphereBranch(dim: number, hidden: number, k: number, seed: number, prefix: string): tfl.LayersModel {
  const input = tfl.input({ shape: [dim], name: `${prefix}_difference` });
  let x = input;
  for (const i of [1, 2]) {
    const dense = tfl.layers.dense({
      units: hidden,
      name: `${prefix}_fc${i}`,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + i }),
    });
    x = leaky(dense.apply(x) as tfl.SymbolicTensor, `${prefix}_fc${i}_act`);
  }
  const logits = new AngularLinear({ units: POSITION_CLASSES, k, variant: 'sphereface', seed: seed + 3, name: `${prefix}_angle` }).apply(
    x,
  ) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: logits, name: `${prefix}_sphere` });
}

function poincareBranch(dim: number, hidden: number, k: number, seed: number, prefix: string): tfl.LayersModel {
  const input = tfl.input({ shape: [dim], name: `${prefix}_difference` });
  let x = new ToPoincare({
    k,
    mode: 'expmap0',
    xi: RELEASED_BALL_MARGIN,
    riemannianGradient: true,
    name: `${prefix}_to_poincare`,
  }).apply(input) as tfl.SymbolicTensor;
  for (const i of [1, 2]) {
    x = new HypLinear({ units: hidden, k, seed: seed + i, name: `${prefix}_hyp${i}` }).apply(x) as tfl.SymbolicTensor;
    x = leaky(x, `${prefix}_hyp${i}_act`);
  }
  const logits = new HypMLR({ classes: POSITION_CLASSES, k, seed: seed + 3, name: `${prefix}_mlr` }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: [logits, x], name: `${prefix}_poincare` });
}

function positionClassifiers(name: PatchSvddModelName, config: PatchSvddConfig, scale: PatchScale, seed: number): PositionClassifiers {
  const { kind } = PATCH_SVDD_MODEL_TABLE[name];
  const k = modelCurvatures(name, config);
  const dim = config.embeddingDim;
  const hidden = config.hiddenUnits;
  const out: PositionClassifiers = { k };
  if (kind !== 'gio') {
    out.euclidean = patchSvddPositionClassifier({
      embeddingDim: dim,
      classes: POSITION_CLASSES,
      hiddenUnits: hidden,
      seed: seed + BRANCH_SEED.euclidean,
    });
  }
  if (k.sphere !== undefined) out.sphere = sphereBranch(dim, hidden, k.sphere, seed + BRANCH_SEED.sphere, `${scale}_s`);
  if (k.poincare !== undefined) out.poincare = poincareBranch(dim, hidden, k.poincare, seed + BRANCH_SEED.poincare, `${scale}_h`);
  return out;
}

/** Builds model `name` for images of `channels` channels, its layers seeded from the unit's `seed`. */
export function buildPatchSvdd(name: PatchSvddModelName, config: PatchSvddConfig, channels: number, seed: number): BuiltPatchSvdd {
  const large = patchSvddEncoder({ patchSize: config.patch.size, embeddingDim: config.embeddingDim, channels, seed });
  const small = patchSvddInnerEncoder(large);
  const head = layerSeed(seed, 'head');
  const classifiers = {
    large: positionClassifiers(name, config, 'large', head),
    small: positionClassifiers(name, config, 'small', head + SCALE_SEED_STRIDE),
  };
  const models = (): tfl.LayersModel[] => [
    large,
    ...PATCH_SCALES.flatMap((s) =>
      [classifiers[s].euclidean, classifiers[s].sphere, classifiers[s].poincare].filter((m) => m !== undefined),
    ),
  ];
  return {
    name,
    encoders: { large, small },
    classifiers,
    patchSize: { large: config.patch.size, small: config.patch.size / 2 },
    trainableWeights: () => {
      const seen = new Set<string>();
      const weights: tf.Variable[] = [];
      for (const model of models()) {
        for (const w of model.trainableWeights) {
          const variable = w.read() as tf.Variable;
          if (seen.has(variable.name)) continue;
          seen.add(variable.name);
          weights.push(variable);
        }
      }
      return weights;
    },
    models,
    dispose: () => {
      for (const model of models()) model.dispose();
    },
  };
}

/** One scale's classifier outputs on the embeddings of pairs (centre, neighbour) [b, D] each. */
export function applyPositionClassifiers(
  classifiers: PositionClassifiers,
  centre: tf.Tensor2D,
  neighbour: tf.Tensor2D,
  difference: tf.Tensor2D,
  training: boolean,
): PositionOutputs {
  const out: PositionOutputs = {};
  if (classifiers.euclidean) out.euclidean = classifiers.euclidean.apply([centre, neighbour], { training }) as tf.Tensor2D;
  if (classifiers.sphere) out.sphere = classifiers.sphere.apply(difference, { training }) as tf.Tensor2D;
  if (classifiers.poincare) {
    const [logits, embedding] = classifiers.poincare.apply(difference, { training }) as tf.Tensor2D[];
    out.poincare = logits!;
    out.poincareEmbedding = embedding!;
  }
  return out;
}
