// DenseNet-BC (Huang, Liu, van der Maaten & Weinberger, "Densely Connected Convolutional Networks",
// CVPR 2017, Sec. 3 and 4.2) for CIFAR: a 3x3 conv to 2k channels, three dense blocks of
// n = (L - 4) / 6 bottleneck layers (BN-ReLU-conv1x1 to 4k, BN-ReLU-conv3x3 to k, concatenated onto the
// input), transitions BN-ReLU-conv1x1 (compression theta) + 2x2 average pool, then BN-ReLU and global
// average pooling (the embedding). L = 100, k = 12: 0.769M parameters with a 10-class classifier.
// Convs: N(0, 2 / (k * k * out_channels)), the authors' Torch init (He normal, fan_out).
import * as tfl from '@tensorflow/tfjs-layers';
import type { BackboneOptions } from './backbone-options';
import { BackboneError } from './errors';
import { requirePositiveInteger, requireRate, resolveInputShape } from './input-shape';
import { channelsOf, LayerBuilder, type Symbolic } from './layer-builder';
import { type MemoryMode, recomputedBlock, requireMemoryMode } from './recomputed-block';

export interface DenseNetBCOptions extends BackboneOptions {
  /** Total depth L, with (L - 4) % 6 === 0 (default 100). */
  depth?: number;
  /** Growth rate k (default 12). */
  growthRate?: number;
  /** Compression theta of the transitions, in (0, 1] (default 0.5). */
  reduction?: number;
  /** Dropout after each conv inside the dense blocks (default 0, as in the paper's augmented-CIFAR runs). */
  dropRate?: number;
  /**
   * 'store' (default): tfjs keeps every activation of the forward pass, each layer's concatenated
   * input included (memory quadratic in the block's depth). 'recompute' (the memory-efficient
   * DenseNet of Pleiss et al. 2017): each bottleneck layer and transition keeps only the k new
   * feature maps it produced; its concatenation, batch norms, ReLUs and convs are run again during
   * the backward pass (same values, about one extra forward pass of time). Needs dropRate 0.
   */
  memory?: MemoryMode;
}

const DENSE_BLOCKS = 3;
/** The bottleneck's 1x1 conv widens to 4k channels (Sec. 3, "Bottleneck layers"). */
const BOTTLENECK_WIDTH_PER_GROWTH = 4;
/** Two 2x2 average-pool transitions need 4 pixels to keep a 1x1 map. */
const DENSENET_MIN_SIZE = 4;

export function denseNetLayersPerBlock(depth: number): number {
  if (!Number.isInteger(depth) || depth < 10 || (depth - 4) % 6 !== 0) {
    throw new BackboneError(
      `denseNetBC: depth must satisfy (depth - 4) % 6 === 0 with depth >= 10 (e.g. 10, 40, 100, 190), got ${String(depth)}.`,
    );
  }
  return (depth - 4) / 6;
}

/** DenseNet-BC-L-k: default L = 100, k = 12, input 32x32x3, 342-d embedding. */
export function denseNetBC(options: DenseNetBCOptions = {}): tfl.LayersModel {
  const depth = options.depth ?? 100;
  const layersPerBlock = denseNetLayersPerBlock(depth);
  const growthRate = requirePositiveInteger('denseNetBC', 'growthRate', options.growthRate ?? 12);
  const reduction = options.reduction ?? 0.5;
  if (!Number.isFinite(reduction) || reduction <= 0 || reduction > 1) {
    throw new BackboneError(`denseNetBC: reduction must be in (0, 1], got ${String(reduction)}.`);
  }
  const dropRate = requireRate('denseNetBC', 'dropRate', options.dropRate ?? 0);
  const memory = requireMemoryMode('denseNetBC', options.memory, dropRate);
  const inputShape = resolveInputShape('denseNetBC', options.inputShape, [32, 32, 3], { minSize: DENSENET_MIN_SIZE });
  const b = new LayerBuilder('denseNetBC', options);
  const input = tfl.input({ shape: inputShape, name: 'image' });
  const stem = b.conv(input, { name: 'stem_conv', filters: 2 * growthRate, kernelSize: 3, init: 'he-normal-fan-out' });
  const x =
    memory === 'recompute'
      ? recomputedLayers(b, stem, layersPerBlock, growthRate, reduction)
      : storedLayers(b, stem, layersPerBlock, growthRate, reduction, dropRate);
  const embedding = tfl.layers.globalAveragePooling2d({ name: 'embedding' }).apply(x) as Symbolic;
  return tfl.model({ inputs: input, outputs: embedding, name: `densenet_bc_${depth}_${growthRate}` });
}

/** The dense blocks and transitions as in the paper: each layer's output concatenated onto its input. */
function storedLayers(
  b: LayerBuilder,
  stem: Symbolic,
  layersPerBlock: number,
  growthRate: number,
  reduction: number,
  dropRate: number,
): Symbolic {
  let x = stem;
  for (let block = 1; block <= DENSE_BLOCKS; block++) {
    for (let layer = 1; layer <= layersPerBlock; layer++) {
      x = bottleneckLayer(b, x, growthRate, dropRate, `block${block}_layer${layer}`);
    }
    if (block < DENSE_BLOCKS) {
      x = transition(b, x, Math.floor(channelsOf(x) * reduction), dropRate, `transition${block}`);
    }
  }
  return b.relu(b.batchNorm(x, 'final_bn'), 'final_relu');
}

/**
 * The same function with the concatenations inside recomputed blocks: a block's features are kept as a
 * list (its input, then each layer's k new maps), and every consumer concatenates the list itself.
 */
function recomputedLayers(b: LayerBuilder, stem: Symbolic, layersPerBlock: number, growthRate: number, reduction: number): Symbolic {
  let features = [stem];
  for (let block = 1; block <= DENSE_BLOCKS; block++) {
    for (let layer = 1; layer <= layersPerBlock; layer++) {
      const prefix = `block${block}_layer${layer}`;
      features.push(
        recomputedBlock(prefix, features, (inputs) => bottleneckBody(b, concatenated(inputs, `${prefix}_concat`), growthRate, 0, prefix)),
      );
    }
    if (block < DENSE_BLOCKS) {
      const prefix = `transition${block}`;
      const channels = features.reduce((sum, f) => sum + channelsOf(f), 0);
      features = [
        recomputedBlock(prefix, features, (inputs) =>
          transition(b, concatenated(inputs, `${prefix}_concat`), Math.floor(channels * reduction), 0, prefix),
        ),
      ];
    }
  }
  return recomputedBlock('final', features, (inputs) =>
    b.relu(b.batchNorm(concatenated(inputs, 'final_concat'), 'final_bn'), 'final_relu'),
  );
}

function concatenated(inputs: Symbolic[], name: string): Symbolic {
  return inputs.length === 1 ? inputs[0]! : (tfl.layers.concatenate({ axis: -1, name }).apply(inputs) as Symbolic);
}

function bottleneckLayer(b: LayerBuilder, x: Symbolic, growthRate: number, dropRate: number, prefix: string): Symbolic {
  const h = bottleneckBody(b, x, growthRate, dropRate, prefix);
  return tfl.layers.concatenate({ axis: -1, name: `${prefix}_concat` }).apply([x, h]) as Symbolic;
}

/** BN-ReLU-conv1x1 (4k) - BN-ReLU-conv3x3 (k): the k new feature maps of one bottleneck layer. */
function bottleneckBody(b: LayerBuilder, x: Symbolic, growthRate: number, dropRate: number, prefix: string): Symbolic {
  let h = b.relu(b.batchNorm(x, `${prefix}_bn1`), `${prefix}_relu1`);
  h = b.conv(h, {
    name: `${prefix}_conv1`,
    filters: BOTTLENECK_WIDTH_PER_GROWTH * growthRate,
    kernelSize: 1,
    init: 'he-normal-fan-out',
  });
  h = b.dropout(h, dropRate, `${prefix}_dropout1`);
  h = b.relu(b.batchNorm(h, `${prefix}_bn2`), `${prefix}_relu2`);
  h = b.conv(h, { name: `${prefix}_conv2`, filters: growthRate, kernelSize: 3, init: 'he-normal-fan-out' });
  return b.dropout(h, dropRate, `${prefix}_dropout2`);
}

function transition(b: LayerBuilder, x: Symbolic, outChannels: number, dropRate: number, prefix: string): Symbolic {
  let h = b.relu(b.batchNorm(x, `${prefix}_bn`), `${prefix}_relu`);
  h = b.conv(h, { name: `${prefix}_conv`, filters: Math.max(1, outChannels), kernelSize: 1, init: 'he-normal-fan-out' });
  h = b.dropout(h, dropRate, `${prefix}_dropout`);
  return tfl.layers.averagePooling2d({ poolSize: 2, strides: 2, name: `${prefix}_pool` }).apply(h) as Symbolic;
}
