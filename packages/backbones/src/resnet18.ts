// ResNet-18 (He, Zhang, Ren & Sun, "Deep Residual Learning for Image Recognition", CVPR 2016, Table 1)
// in the CIFAR variant the paper's CSI experiments use (Tab. VI): a 3x3 stride-1 stem with no max-pool,
// then four stages of two basic blocks (64, 128, 256, 512 channels; stride 2 from the second stage on),
// projection shortcuts (1x1 conv + BN) where the shape changes, global average pooling = 512-d embedding.
// 11.17M parameters with a 10-class classifier. Convs: He normal with fan_out (torchvision's ResNet init).
import * as tfl from '@tensorflow/tfjs-layers';
import type { BackboneOptions } from './backbone-options';
import { requirePositiveInteger, resolveInputShape } from './input-shape';
import { channelsOf, LayerBuilder, type Symbolic } from './layer-builder';

export interface ResNet18Options extends BackboneOptions {
  /** Channels of the first stage, doubled at each later stage (64 in the paper). */
  baseWidth?: number;
}

const BLOCKS_PER_STAGE = [2, 2, 2, 2];
/** Three stride-2 stages need 8 pixels to keep a 1x1 map at the end. */
const RESNET18_MIN_SIZE = 8;

/** ResNet-18, CIFAR variant: default input 32x32x3, 512-d embedding. */
export function resnet18(options: ResNet18Options = {}): tfl.LayersModel {
  const name = 'resnet18';
  const inputShape = resolveInputShape(name, options.inputShape, [32, 32, 3], { minSize: RESNET18_MIN_SIZE });
  const baseWidth = requirePositiveInteger(name, 'baseWidth', options.baseWidth ?? 64);
  const b = new LayerBuilder(name, options);
  const input = tfl.input({ shape: inputShape, name: 'image' });
  let x = b.conv(input, { name: 'stem_conv', filters: baseWidth, kernelSize: 3, init: 'he-normal-fan-out' });
  x = b.relu(b.batchNorm(x, 'stem_bn'), 'stem_relu');
  BLOCKS_PER_STAGE.forEach((blocks, stage) => {
    const width = baseWidth * 2 ** stage;
    for (let block = 0; block < blocks; block++) {
      const strides = stage > 0 && block === 0 ? 2 : 1;
      x = basicBlock(b, x, width, strides, `stage${stage + 1}_block${block + 1}`);
    }
  });
  const embedding = tfl.layers.globalAveragePooling2d({ name: 'embedding' }).apply(x) as Symbolic;
  return tfl.model({ inputs: input, outputs: embedding, name });
}

function basicBlock(b: LayerBuilder, x: Symbolic, width: number, strides: number, prefix: string): Symbolic {
  let h = b.conv(x, { name: `${prefix}_conv1`, filters: width, kernelSize: 3, strides, init: 'he-normal-fan-out' });
  h = b.relu(b.batchNorm(h, `${prefix}_bn1`), `${prefix}_relu1`);
  h = b.conv(h, { name: `${prefix}_conv2`, filters: width, kernelSize: 3, init: 'he-normal-fan-out' });
  h = b.batchNorm(h, `${prefix}_bn2`);
  let shortcut = x;
  if (strides !== 1 || channelsOf(x) !== width) {
    shortcut = b.conv(x, { name: `${prefix}_proj`, filters: width, kernelSize: 1, strides, init: 'he-normal-fan-out' });
    shortcut = b.batchNorm(shortcut, `${prefix}_proj_bn`);
  }
  const sum = tfl.layers.add({ name: `${prefix}_add` }).apply([h, shortcut]) as Symbolic;
  return b.relu(sum, `${prefix}_out`);
}
