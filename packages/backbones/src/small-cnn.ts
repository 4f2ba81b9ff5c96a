// A small CNN for 28x28 grey images (MNIST, Fashion-MNIST), sized to train in seconds on the
// single-threaded wasm backend: a 5x5 stride-2 conv (16), a 3x3 stride-2 conv (32), each with ReLU,
// then a dense ReLU embedding (128). Not from a paper. Strided convs instead of conv + max-pool and no
// batch norm: on wasm the max-pool and batch-norm gradients cost more than the convs themselves, and
// one epoch on 6,000 Fashion-MNIST images clears 80% without them (small-cnn-fashion-mnist.test.ts).
// He initialisation (He et al. 2015) because every layer is followed by a ReLU.
import * as tfl from '@tensorflow/tfjs-layers';
import type { BackboneOptions } from './backbone-options';
import { BackboneError } from './errors';
import { requirePositiveInteger, resolveInputShape } from './input-shape';
import { LayerBuilder } from './layer-builder';

export interface SmallCnnOptions extends BackboneOptions {
  /** Channels of the two strided convs (default [16, 32]). */
  filters?: [number, number];
  /** Width of the dense embedding (default 128). */
  embeddingDim?: number;
}

const KERNEL_SIZES = [5, 3];
/** Two stride-2 convs need at least 4 pixels to leave a 1x1 map. */
const SMALL_CNN_MIN_SIZE = 4;

/** smallCnn: default input 28x28x1, 128-d embedding. */
export function smallCnn(options: SmallCnnOptions = {}): tfl.LayersModel {
  const name = 'smallCnn';
  const inputShape = resolveInputShape(name, options.inputShape, [28, 28, 1], { minSize: SMALL_CNN_MIN_SIZE });
  const filters = options.filters ?? [16, 32];
  if (!Array.isArray(filters) || filters.length !== 2) {
    throw new BackboneError(`${name}: filters must be two channel counts, e.g. [16, 32], got ${JSON.stringify(filters)}.`);
  }
  filters.forEach((f, i) => {
    requirePositiveInteger(name, `filters[${i}]`, f);
  });
  const embeddingDim = requirePositiveInteger(name, 'embeddingDim', options.embeddingDim ?? 128);
  const b = new LayerBuilder(name, options);
  const input = tfl.input({ shape: inputShape, name: 'image' });
  let x = input;
  filters.forEach((channels, i) => {
    const conv = b.conv(x, {
      name: `conv${i + 1}`,
      filters: channels,
      kernelSize: KERNEL_SIZES[i]!,
      strides: 2,
      useBias: true,
      init: 'he-normal-fan-in',
    });
    x = b.relu(conv, `conv${i + 1}_relu`);
  });
  x = tfl.layers.flatten({ name: 'flatten' }).apply(x) as tfl.SymbolicTensor;
  const embedding = b.dense(x, { name: 'embedding', units: embeddingDim, activation: 'relu', init: 'he-normal-fan-in' });
  return tfl.model({ inputs: input, outputs: embedding, name });
}
