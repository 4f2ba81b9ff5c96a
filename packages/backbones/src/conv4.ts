// Conv-4 of Snell, Swersky & Zemel, "Prototypical Networks for Few-shot Learning" (NeurIPS 2017), Sec. 3.3:
// four blocks of [3x3 conv 64, batch norm, ReLU, 2x2 max-pool]; the embedding is the flattened output
// (64-d for 28x28 Omniglot, 1600-d for 84x84 miniImageNet, the setting of the paper's Fig. 1).
import * as tfl from '@tensorflow/tfjs-layers';
import type { BackboneOptions } from './backbone-options';
import { requirePositiveInteger, resolveInputShape } from './input-shape';
import { LayerBuilder } from './layer-builder';

export interface Conv4Options extends BackboneOptions {
  /** Channels of every block (64 in the paper). */
  filters?: number;
}

const CONV4_BLOCKS = 4;
/** Four 2x2 pools need at least 16 pixels to leave a 1x1 map. */
const CONV4_MIN_SIZE = 2 ** CONV4_BLOCKS;

/** Conv-4 (default input 28x28x1; 84x84x3 reproduces the miniImageNet 1600-d embedding). */
export function conv4(options: Conv4Options = {}): tfl.LayersModel {
  const name = 'conv4';
  const inputShape = resolveInputShape(name, options.inputShape, [28, 28, 1], { minSize: CONV4_MIN_SIZE });
  const filters = requirePositiveInteger(name, 'filters', options.filters ?? 64);
  const b = new LayerBuilder(name, options);
  const input = tfl.input({ shape: inputShape, name: 'image' });
  let x = input;
  for (let block = 1; block <= CONV4_BLOCKS; block++) {
    // Snell et al.'s code kept PyTorch's default conv init and bias.
    x = b.conv(x, { name: `block${block}_conv`, filters, kernelSize: 3, useBias: true, init: 'torch-default' });
    x = b.batchNorm(x, `block${block}_bn`);
    x = b.relu(x, `block${block}_relu`);
    x = tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${block}_pool` }).apply(x) as tfl.SymbolicTensor;
  }
  const embedding = tfl.layers.flatten({ name: 'embedding' }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: embedding, name });
}
