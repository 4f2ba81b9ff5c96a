// A small U-Net (Ronneberger, Fischer & Brox, "U-Net: Convolutional Networks for Biomedical Image
// Segmentation", MICCAI 2015) producing a per-pixel embedding at input resolution, the dense feature
// extractor for the paper's segmentation tasks (Tab. VII, StreetHazards). Each of `depth` encoder
// stages is two [3x3 conv (same padding, unlike the paper's valid convs, so the output keeps the input
// size), BN, ReLU] then a 2x2 max-pool, widths width * 2^i; a bottleneck stage; each decoder stage is a
// 2x2 stride-2 up-convolution, concatenation with the encoder stage of the same size, and two convs;
// a final 1x1 conv gives the embedding [batch, H, W, embeddingDim]. He normal fan_in init, as the paper
// ("std sqrt(2/N), N the incoming nodes of one neuron"). The README explains how the paper's
// ResNet50-UPerNet maps onto this.
import * as tfl from '@tensorflow/tfjs-layers';
import type { BackboneOptions } from './backbone-options';
import { BackboneError } from './errors';
import { requirePositiveInteger, resolveInputShape } from './input-shape';
import { LayerBuilder, type Symbolic } from './layer-builder';

export interface SegmentationUNetOptions extends BackboneOptions {
  /** Number of 2x down-sampling stages (default 3); height and width must be multiples of 2^depth. */
  depth?: number;
  /** Channels at full resolution, doubled at each stage down (default 16). */
  width?: number;
  /** Channels of the per-pixel embedding (default 32). */
  embeddingDim?: number;
}

/** The paper's U-Net has 4 down-sampling stages; more buys little at our input sizes. */
const MAX_UNET_DEPTH = 6;

/** U-Net: default input 64x64x3, depth 3, width 16, embedding [batch, 64, 64, 32]. */
export function segmentationUNet(options: SegmentationUNetOptions = {}): tfl.LayersModel {
  const name = 'segmentationUNet';
  const depth = requirePositiveInteger(name, 'depth', options.depth ?? 3);
  if (depth > MAX_UNET_DEPTH) {
    throw new BackboneError(`${name}: depth must be at most ${MAX_UNET_DEPTH}, got ${depth}.`);
  }
  const width = requirePositiveInteger(name, 'width', options.width ?? 16);
  const embeddingDim = requirePositiveInteger(name, 'embeddingDim', options.embeddingDim ?? 32);
  const inputShape = resolveInputShape(name, options.inputShape, [64, 64, 3], { multipleOf: 2 ** depth });
  const b = new LayerBuilder(name, options);
  const input = tfl.input({ shape: inputShape, name: 'image' });
  const skips: Symbolic[] = [];
  let x = input;
  for (let stage = 0; stage < depth; stage++) {
    x = doubleConv(b, x, width * 2 ** stage, `down${stage + 1}`);
    skips.push(x);
    x = tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `down${stage + 1}_pool` }).apply(x) as Symbolic;
  }
  x = doubleConv(b, x, width * 2 ** depth, 'bottleneck');
  for (let stage = depth - 1; stage >= 0; stage--) {
    const channels = width * 2 ** stage;
    x = b.upConv(x, { name: `up${stage + 1}_upconv`, filters: channels, factor: 2, init: 'he-normal-fan-in' });
    x = tfl.layers.concatenate({ axis: -1, name: `up${stage + 1}_concat` }).apply([skips[stage]!, x]) as Symbolic;
    x = doubleConv(b, x, channels, `up${stage + 1}`);
  }
  const embedding = b.conv(x, { name: 'embedding', filters: embeddingDim, kernelSize: 1, useBias: true, init: 'he-normal-fan-in' });
  return tfl.model({ inputs: input, outputs: embedding, name: `unet_${depth}_${width}` });
}

function doubleConv(b: LayerBuilder, x: Symbolic, channels: number, prefix: string): Symbolic {
  let h = x;
  for (const i of [1, 2]) {
    h = b.conv(h, { name: `${prefix}_conv${i}`, filters: channels, kernelSize: 3, init: 'he-normal-fan-in' });
    h = b.relu(b.batchNorm(h, `${prefix}_bn${i}`), `${prefix}_relu${i}`);
  }
  return h;
}
