// LeNet-5 (LeCun, Bottou, Bengio & Haffner, "Gradient-based learning applied to document recognition", 1998)
// in its common modern form for 28x28 digits: 5x5 conv 6 (padded, so 28x28 plays the role of the
// paper's 32x32), 2x2 max-pool, 5x5 conv 16, 2x2 max-pool, dense 120, dense 84 = embedding.
// Deviation: ReLU and max-pooling instead of the paper's scaled tanh and trainable subsampling, hence
// He initialisation instead of the paper's U(+-2.4 / fan_in).
import * as tfl from '@tensorflow/tfjs-layers';
import type { BackboneOptions } from './backbone-options';
import { resolveInputShape } from './input-shape';
import { LayerBuilder } from './layer-builder';

export type LeNetOptions = BackboneOptions;

/** Two pools around a valid 5x5 conv need floor(H/2) >= 6, i.e. H >= 12 (28 is the intended size). */
const LENET_MIN_SIZE = 12;

/** LeNet-5: default input 28x28x1, 84-d embedding. */
export function lenet(options: LeNetOptions = {}): tfl.LayersModel {
  const name = 'lenet';
  const inputShape = resolveInputShape(name, options.inputShape, [28, 28, 1], { minSize: LENET_MIN_SIZE });
  const b = new LayerBuilder(name, options);
  const input = tfl.input({ shape: inputShape, name: 'image' });
  let x = b.conv(input, { name: 'c1', filters: 6, kernelSize: 5, padding: 'same', useBias: true, init: 'he-normal-fan-in' });
  x = b.relu(x, 'c1_relu');
  x = tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name: 's2' }).apply(x) as tfl.SymbolicTensor;
  x = b.conv(x, { name: 'c3', filters: 16, kernelSize: 5, padding: 'valid', useBias: true, init: 'he-normal-fan-in' });
  x = b.relu(x, 'c3_relu');
  x = tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name: 's4' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.flatten({ name: 'flatten' }).apply(x) as tfl.SymbolicTensor;
  x = b.dense(x, { name: 'c5', units: 120, activation: 'relu', init: 'he-normal-fan-in' });
  const embedding = b.dense(x, { name: 'embedding', units: 84, activation: 'relu', init: 'he-normal-fan-in' });
  return tfl.model({ inputs: input, outputs: embedding, name });
}
