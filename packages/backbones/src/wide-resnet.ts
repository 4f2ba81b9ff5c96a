// Wide Residual Networks (Zagoruyko & Komodakis, BMVC 2016), WRN-d-k for CIFAR: a 3x3 conv to 16
// channels, three groups of n = (d - 4) / 6 pre-activation basic blocks of widths 16k, 32k, 64k
// (strides 1, 2, 2), each block BN-ReLU-conv3x3-BN-ReLU-dropout-conv3x3 with a 1x1 projection of the
// pre-activated input where the width or stride changes; then BN-ReLU and global average pooling
// (the 64k-d embedding). WRN-28-10 has 36.48M parameters with a 10-class classifier.
// Convs: He normal with fan_in, as in the authors' PyTorch code.
import * as tfl from '@tensorflow/tfjs-layers';
import type { BackboneOptions } from './backbone-options';
import { BackboneError } from './errors';
import { requirePositiveInteger, requireRate, resolveInputShape } from './input-shape';
import { channelsOf, LayerBuilder, type Symbolic } from './layer-builder';
import { type MemoryMode, recomputedBlock, requireMemoryMode } from './recomputed-block';

export interface WideResNetOptions extends BackboneOptions {
  /** Total depth d, with (d - 4) % 6 === 0 (default 28). */
  depth?: number;
  /** Widening factor k (default 10). */
  widen?: number;
  /** Dropout between the two convs of a block (default 0; the paper's CIFAR runs also used 0.3). */
  dropRate?: number;
  /**
   * 'store' (default): tfjs keeps every activation of the forward pass for the backward pass.
   * 'recompute': each residual block keeps only its input and output and is run again during the
   * backward pass (same values, about one extra forward pass of time, far less memory: WRN-28-10
   * trains at batch 64 on wasm only this way). Needs dropRate 0.
   */
  memory?: MemoryMode;
}

const WRN_STEM_WIDTH = 16;
const WRN_GROUP_WIDTHS = [16, 32, 64];
/** Two stride-2 groups need 4 pixels to keep a 1x1 map. */
const WRN_MIN_SIZE = 4;

export function wideResNetBlocksPerGroup(depth: number): number {
  if (!Number.isInteger(depth) || depth < 10 || (depth - 4) % 6 !== 0) {
    throw new BackboneError(
      `wideResNet: depth must satisfy (depth - 4) % 6 === 0 with depth >= 10 (e.g. 10, 16, 22, 28, 40), got ${String(depth)}.`,
    );
  }
  return (depth - 4) / 6;
}

/** WRN-d-k: default WRN-28-10, input 32x32x3, 640-d embedding. */
export function wideResNet(options: WideResNetOptions = {}): tfl.LayersModel {
  const depth = options.depth ?? 28;
  const blocksPerGroup = wideResNetBlocksPerGroup(depth);
  const widen = requirePositiveInteger('wideResNet', 'widen', options.widen ?? 10);
  const dropRate = requireRate('wideResNet', 'dropRate', options.dropRate ?? 0);
  const memory = requireMemoryMode('wideResNet', options.memory, dropRate);
  const name = `wrn_${depth}_${widen}`;
  const inputShape = resolveInputShape('wideResNet', options.inputShape, [32, 32, 3], { minSize: WRN_MIN_SIZE });
  const b = new LayerBuilder('wideResNet', options);
  const input = tfl.input({ shape: inputShape, name: 'image' });
  let x = b.conv(input, { name: 'stem_conv', filters: WRN_STEM_WIDTH, kernelSize: 3, init: 'he-normal-fan-in' });
  WRN_GROUP_WIDTHS.forEach((baseWidth, group) => {
    for (let block = 0; block < blocksPerGroup; block++) {
      const strides = group > 0 && block === 0 ? 2 : 1;
      const prefix = `group${group + 1}_block${block + 1}`;
      const width = baseWidth * widen;
      x =
        memory === 'recompute'
          ? recomputedBlock(prefix, [x], ([h]) => preActivationBlock(b, h!, width, strides, dropRate, prefix))
          : preActivationBlock(b, x, width, strides, dropRate, prefix);
    }
  });
  x = b.relu(b.batchNorm(x, 'final_bn'), 'final_relu');
  const embedding = tfl.layers.globalAveragePooling2d({ name: 'embedding' }).apply(x) as Symbolic;
  return tfl.model({ inputs: input, outputs: embedding, name });
}

function preActivationBlock(b: LayerBuilder, x: Symbolic, width: number, strides: number, dropRate: number, prefix: string): Symbolic {
  const activated = b.relu(b.batchNorm(x, `${prefix}_bn1`), `${prefix}_relu1`);
  let h = b.conv(activated, { name: `${prefix}_conv1`, filters: width, kernelSize: 3, strides, init: 'he-normal-fan-in' });
  h = b.relu(b.batchNorm(h, `${prefix}_bn2`), `${prefix}_relu2`);
  h = b.dropout(h, dropRate, `${prefix}_dropout`);
  h = b.conv(h, { name: `${prefix}_conv2`, filters: width, kernelSize: 3, init: 'he-normal-fan-in' });
  const projected = strides !== 1 || channelsOf(x) !== width;
  const shortcut = projected
    ? b.conv(activated, { name: `${prefix}_proj`, filters: width, kernelSize: 1, strides, init: 'he-normal-fan-in' })
    : x;
  return tfl.layers.add({ name: `${prefix}_add` }).apply([h, shortcut]) as Symbolic;
}
