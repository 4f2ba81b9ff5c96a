// A plain conv stack described as data (issue 14, item 1): conv layers with their own kernel, stride,
// padding, activation, batch norm and pooling, then flatten or global average pooling, then ReLU dense
// layers; the last layer is the embedding. Not from a paper: it lets a user state a small CNN such as the
// released Fashion-MNIST CNN ("3x3 valid conv 32 + 2x2 max-pool, 3x3 valid conv 64 + 2x2 max-pool,
// dense 128 + ReLU", the default) without code. Convs followed by batch norm have no bias (the norm
// removes it), as in the other backbones here; a PyTorch nn.Conv2d keeps one unless told bias=False.
import * as tfl from '@tensorflow/tfjs-layers';
import { type ConvStackOptions, convStackMapShapes, type ResolvedConvStackLayer, resolveConvStack } from './conv-stack-options';
import type { InitScheme } from './initializers';
import { resolveInputShape } from './input-shape';
import { LayerBuilder, type Symbolic } from './layer-builder';

/** The 28x28 grey images (MNIST, Fashion-MNIST) the default stack was written for. */
const DEFAULT_INPUT_SHAPE: [number, number, number] = [28, 28, 1];
const NAME = 'conv-stack';

/**
 * convStack: default input 28x28x1 and the Fashion-MNIST CNN (128-d embedding). Every option is
 * checked before a layer is built: unknown keys, bad values and a layer that would shrink the map below
 * 1x1 throw a BackboneError naming the path (`layers[1].pool.size`) and what would happen.
 */
export function convStack(options: ConvStackOptions = {}): tfl.LayersModel {
  const stack = resolveConvStack(options);
  const inputShape = resolveInputShape(NAME, options.inputShape, DEFAULT_INPUT_SHAPE);
  convStackMapShapes(stack, inputShape);
  const b = new LayerBuilder(NAME, options);
  const input = tfl.input({ shape: inputShape, name: 'image' });
  let x: Symbolic = input;
  stack.layers.forEach((layer, i) => {
    x = convLayer(b, x, layer, `conv${i + 1}`, stack.init);
  });
  const last = stack.dense.length - 1;
  const reduceName = last < 0 ? 'embedding' : stack.reduce === 'flatten' ? 'flatten' : 'global_pool';
  x = (
    stack.reduce === 'flatten' ? tfl.layers.flatten({ name: reduceName }) : tfl.layers.globalAveragePooling2d({ name: reduceName })
  ).apply(x) as Symbolic;
  stack.dense.forEach((units, j) => {
    x = b.dense(x, { name: j === last ? 'embedding' : `dense${j + 1}`, units, activation: 'relu', init: stack.init });
  });
  return tfl.model({ inputs: input, outputs: x, name: 'conv_stack' });
}

function convLayer(b: LayerBuilder, input: Symbolic, layer: ResolvedConvStackLayer, name: string, init: InitScheme): Symbolic {
  let x = b.conv(input, {
    name,
    filters: layer.filters,
    kernelSize: layer.kernelSize,
    strides: layer.stride,
    padding: layer.padding,
    useBias: !layer.batchNorm,
    init,
  });
  if (layer.batchNorm) x = b.batchNorm(x, `${name}_bn`);
  if (layer.activation !== 'linear') {
    x = tfl.layers.activation({ activation: layer.activation, name: `${name}_${layer.activation}` }).apply(x) as Symbolic;
  }
  if (layer.pool !== undefined) {
    const { kind, size, stride } = layer.pool;
    const pooling = kind === 'max' ? tfl.layers.maxPooling2d : tfl.layers.averagePooling2d;
    x = pooling({ poolSize: size, strides: stride, padding: 'valid', name: `${name}_${kind}_pool` }).apply(x) as Symbolic;
  }
  return x;
}
