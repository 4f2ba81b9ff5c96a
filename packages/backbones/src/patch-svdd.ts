// Patch-SVDD encoders (Yi & Yoon, "Patch SVDD: Patch-level SVDD for Anomaly Detection and Segmentation",
// ACCV 2020, Sec. 3.3 "Hierarchical encoding", and the authors' reference code), the baseline of the
// paper's one-class anomaly segmentation (Tab. VIII, IX).
// - 32x32 patches: eight valid 3x3 convs (32, 64, 128, 128, 64, 32, 32, D channels; the first with
//   stride 2), LeakyReLU(0.1) between them and tanh at the end: 32 -> 15 -> 13 -> ... -> 1x1xD.
// - K x K patches (K = 64, 128, ...): the K/2 encoder is applied to the four quadrants (stacked along
//   the batch, as the reference code does), the four D-vectors are laid out as a 2x2 map (top-left,
//   top-right / bottom-left, bottom-right), then a 2x2 conv to 128, LeakyReLU(0.1), a 1x1 conv to D, tanh.
// The embedding is the D-vector of the patch ([batch, D]). All layers keep PyTorch's default init.
import * as tfl from '@tensorflow/tfjs-layers';
import type { BackboneOptions } from './backbone-options';
import { BackboneError } from './errors';
import { requirePositiveInteger, resolveInputShape } from './input-shape';
import { LayerBuilder, type Symbolic } from './layer-builder';
import { NormalizedLinear } from './normalized-linear';
import { BatchToGrid, QuadrantsToBatch } from './patch-grid-layers';

export interface PatchSvddEncoderOptions extends Omit<BackboneOptions, 'inputShape'> {
  /** Patch side K: 32, or 32 * 2^n for the hierarchical encoder (default 64, the paper's setting). */
  patchSize?: number;
  /** Embedding size D (default 64). */
  embeddingDim?: number;
  /** Image channels (default 3). */
  channels?: number;
}

export interface PatchSvddPositionClassifierOptions {
  /** Embedding size D of the encoder it reads (default 64). */
  embeddingDim?: number;
  /** Relative positions to classify: the 8 neighbours of a 3x3 grid (default 8). */
  classes?: number;
  /** Width of the two hidden layers (default 128). */
  hiddenUnits?: number;
  seed?: number;
}

const BASE_PATCH_SIZE = 32;
/** The reference code's LeakyReLU slope. */
const LEAKY_SLOPE = 0.1;
const DEEP_ENCODER_WIDTHS = [32, 64, 128, 128, 64, 32, 32];
const HIERARCHY_HIDDEN_WIDTH = 128;

export function validatePatchSize(patchSize: number): number {
  const ratio = patchSize / BASE_PATCH_SIZE;
  if (!Number.isInteger(patchSize) || !Number.isInteger(ratio) || ratio < 1 || (ratio & (ratio - 1)) !== 0) {
    throw new BackboneError(`patchSvddEncoder: patchSize must be 32, 64, 128, ... (32 * 2^n), got ${String(patchSize)}.`);
  }
  return patchSize;
}

/** Patch-SVDD encoder for K x K patches (default K = 64, hierarchical): image -> [batch, D] embedding. */
export function patchSvddEncoder(options: PatchSvddEncoderOptions = {}): tfl.LayersModel {
  const patchSize = validatePatchSize(options.patchSize ?? 64);
  const embeddingDim = requirePositiveInteger('patchSvddEncoder', 'embeddingDim', options.embeddingDim ?? 64);
  const channels = requirePositiveInteger('patchSvddEncoder', 'channels', options.channels ?? 3);
  const b = new LayerBuilder('patchSvddEncoder', options);
  return buildEncoder(b, patchSize, channels, embeddingDim);
}

/** The K/2 encoder nested inside a hierarchical K encoder (shared weights), for the K/2 losses. */
export function patchSvddInnerEncoder(encoder: tfl.LayersModel): tfl.LayersModel {
  const inner = encoder.layers.find((layer): layer is tfl.LayersModel => layer instanceof tfl.LayersModel);
  if (inner === undefined) {
    throw new BackboneError(`patchSvddInnerEncoder: ${encoder.name} is not a hierarchical Patch-SVDD encoder (patchSize >= 64).`);
  }
  return inner;
}

function buildEncoder(b: LayerBuilder, patchSize: number, channels: number, embeddingDim: number): tfl.LayersModel {
  const inputShape = resolveInputShape('patchSvddEncoder', [patchSize, patchSize, channels], [patchSize, patchSize, channels]);
  const input = tfl.input({ shape: inputShape, name: 'patch' });
  const features =
    patchSize === BASE_PATCH_SIZE ? deepEncoder(b, input, embeddingDim) : hierarchicalEncoder(b, input, patchSize, channels, embeddingDim);
  const embedding = tfl.layers.flatten({ name: 'embedding' }).apply(features) as Symbolic;
  return tfl.model({ inputs: input, outputs: embedding, name: `patch_svdd_${patchSize}` });
}

function deepEncoder(b: LayerBuilder, input: Symbolic, embeddingDim: number): Symbolic {
  let x = input;
  DEEP_ENCODER_WIDTHS.forEach((filters, i) => {
    x = b.conv(x, {
      name: `conv${i + 1}`,
      filters,
      kernelSize: 3,
      strides: i === 0 ? 2 : 1,
      padding: 'valid',
      useBias: true,
      init: 'torch-default',
    });
    x = leaky(x, `conv${i + 1}_act`);
  });
  x = b.conv(x, {
    name: `conv${DEEP_ENCODER_WIDTHS.length + 1}`,
    filters: embeddingDim,
    kernelSize: 3,
    padding: 'valid',
    useBias: true,
    init: 'torch-default',
  });
  return tfl.layers.activation({ activation: 'tanh', name: 'tanh' }).apply(x) as Symbolic;
}

function hierarchicalEncoder(b: LayerBuilder, input: Symbolic, patchSize: number, channels: number, embeddingDim: number): Symbolic {
  const inner = buildEncoder(b, patchSize / 2, channels, embeddingDim);
  const quadrants = new QuadrantsToBatch({ name: 'quadrants' }).apply(input) as Symbolic;
  const vectors = inner.apply(quadrants) as Symbolic;
  let x = new BatchToGrid({ name: 'grid' }).apply(vectors) as Symbolic;
  x = b.conv(x, {
    name: 'merge_conv1',
    filters: HIERARCHY_HIDDEN_WIDTH,
    kernelSize: 2,
    padding: 'valid',
    useBias: true,
    init: 'torch-default',
  });
  x = leaky(x, 'merge_conv1_act');
  x = b.conv(x, { name: 'merge_conv2', filters: embeddingDim, kernelSize: 1, padding: 'valid', useBias: true, init: 'torch-default' });
  return tfl.layers.activation({ activation: 'tanh', name: 'tanh' }).apply(x) as Symbolic;
}

function leaky(x: Symbolic, name: string): Symbolic {
  return tfl.layers.leakyReLU({ alpha: LEAKY_SLOPE, name }).apply(x) as Symbolic;
}

/**
 * Patch-SVDD's self-supervised head (Sec. 3.2, after Doersch et al.): given the embeddings of a centre
 * patch and one of its 8 neighbours, classify the neighbour's relative position from their difference:
 * dense 128, LeakyReLU, dense 128, LeakyReLU, NormalizedLinear to `classes` logits.
 * Inputs: [centre [batch, D], neighbour [batch, D]]; output: logits [batch, classes].
 */
export function patchSvddPositionClassifier(options: PatchSvddPositionClassifierOptions = {}): tfl.LayersModel {
  const name = 'patchSvddPositionClassifier';
  const embeddingDim = requirePositiveInteger(name, 'embeddingDim', options.embeddingDim ?? 64);
  const classes = requirePositiveInteger(name, 'classes', options.classes ?? 8);
  const hiddenUnits = requirePositiveInteger(name, 'hiddenUnits', options.hiddenUnits ?? 128);
  const b = new LayerBuilder(name, options.seed === undefined ? {} : { seed: options.seed });
  const centre = tfl.input({ shape: [embeddingDim], name: 'centre_embedding' });
  const neighbour = tfl.input({ shape: [embeddingDim], name: 'neighbour_embedding' });
  // tfjs-layers has no Subtract layer: h1 - h2 = h1 + (-1) * h2.
  const negated = tfl.layers.rescaling({ scale: -1, offset: 0, name: 'negate_neighbour' }).apply(neighbour) as Symbolic;
  let x = tfl.layers.add({ name: 'difference' }).apply([centre, negated]) as Symbolic;
  x = leaky(b.dense(x, { name: 'fc1', units: hiddenUnits, init: 'torch-default' }), 'fc1_act');
  x = leaky(b.dense(x, { name: 'fc2', units: hiddenUnits, init: 'torch-default' }), 'fc2_act');
  const logits = new NormalizedLinear({ units: classes, kernelSeed: b.nextSeed(), biasSeed: b.nextSeed(), name: 'position_logits' }).apply(
    x,
  ) as Symbolic;
  return tfl.model({ inputs: [centre, neighbour], outputs: logits, name: 'patch_svdd_position_classifier' });
}
