import * as tfl from '@tensorflow/tfjs-layers';

type Initializer = ReturnType<typeof tfl.initializers.zeros>;

/**
 * How a conv or dense layer's weights are drawn, named after the paper or reference code that used it.
 * - `he-normal-fan-in`: N(0, 2 / fan_in), He et al. 2015 (forward case); the official WRN code.
 * - `he-normal-fan-out`: N(0, 2 / fan_out), He et al. 2015 (backward case); torchvision's ResNet and
 *   Huang et al.'s DenseNet code (n = k * k * out_channels).
 * - `torch-default`: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for kernel and bias, PyTorch's default for
 *   nn.Conv2d / nn.Linear, which Snell et al.'s Conv-4, Patch-SVDD and every classifier head relied on.
 *
 * tfjs's own `heNormal` draws from a truncated normal; the papers draw from the full normal, so we
 * build the normal directly with the stddev computed from the layer's fan.
 */
export type InitScheme = 'he-normal-fan-in' | 'he-normal-fan-out' | 'torch-default';

/** He et al.'s gain for ReLU networks: Var(w) = 2 / fan. */
const HE_GAIN = 2;

export interface LayerFans {
  fanIn: number;
  fanOut: number;
}

export function kernelInitializer(scheme: InitScheme, fans: LayerFans, seed: number): Initializer {
  switch (scheme) {
    case 'he-normal-fan-in':
      return tfl.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(HE_GAIN / fans.fanIn), seed });
    case 'he-normal-fan-out':
      return tfl.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(HE_GAIN / fans.fanOut), seed });
    case 'torch-default':
      return torchDefaultUniform(fans.fanIn, seed);
  }
}

/** Biases: zero under the He schemes (the papers' convs have no bias or zero it), PyTorch's uniform otherwise. */
export function biasInitializer(scheme: InitScheme, fans: LayerFans, seed: number): Initializer {
  return scheme === 'torch-default' ? torchDefaultUniform(fans.fanIn, seed) : tfl.initializers.zeros();
}

function torchDefaultUniform(fanIn: number, seed: number): Initializer {
  const bound = 1 / Math.sqrt(fanIn);
  return tfl.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
}
