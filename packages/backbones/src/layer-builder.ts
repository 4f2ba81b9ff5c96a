import * as tfl from '@tensorflow/tfjs-layers';
import type { BackboneOptions } from './backbone-options';
import { BackboneError } from './errors';
import { fusedBatchNormalization } from './fused-batch-normalization';
import { biasInitializer, type InitScheme, kernelInitializer } from './initializers';
import { SeedSequence } from './seed-sequence';

export type Symbolic = tfl.SymbolicTensor;

/** PyTorch's BatchNorm2d defaults (momentum 0.1 there is a 0.9 moving-average decay here). */
const BATCH_NORM_MOMENTUM = 0.9;
const BATCH_NORM_EPSILON = 1e-5;
/** PyTorch's weight_decay lambda adds lambda * w to the gradient, i.e. lambda / 2 * ||w||^2 to the loss. */
const L2_LOSS_PER_DECAY = 0.5;

export interface ConvSpec {
  name: string;
  filters: number;
  kernelSize: number;
  strides?: number;
  /**
   * 'same' pads symmetrically by (k - 1) / 2 like PyTorch's padding=k//2 for odd kernels; for strided
   * convs that is done with an explicit ZeroPadding2D + 'valid' so the sampled positions match the
   * PyTorch/Torch originals (tfjs's 'same' would pad only at the bottom/right).
   */
  padding?: 'same' | 'valid';
  useBias?: boolean;
  init: InitScheme;
}

export interface DenseSpec {
  name: string;
  units: number;
  init: InitScheme;
  useBias?: boolean;
  activation?: 'relu' | 'linear';
}

/**
 * Builds the layers of one backbone: draws each layer's initializer seed from one SeedSequence in
 * build order (so a `seed` option reproduces the weights) and applies the weight decay option.
 */
export class LayerBuilder {
  private readonly seeds: SeedSequence;
  private readonly weightDecay: number;

  constructor(backbone: string, options: BackboneOptions) {
    this.seeds = new SeedSequence(options.seed ?? 0);
    const weightDecay = options.weightDecay ?? 0;
    if (!Number.isFinite(weightDecay) || weightDecay < 0) {
      throw new BackboneError(`${backbone}: weightDecay must be a finite number >= 0, got ${String(weightDecay)}.`);
    }
    this.weightDecay = weightDecay;
  }

  nextSeed(): number {
    return this.seeds.next();
  }

  private kernelRegularizer() {
    return this.weightDecay > 0 ? tfl.regularizers.l2({ l2: this.weightDecay * L2_LOSS_PER_DECAY }) : undefined;
  }

  conv(x: Symbolic, spec: ConvSpec): Symbolic {
    const inChannels = channelsOf(x);
    const { kernelSize, filters } = spec;
    const strides = spec.strides ?? 1;
    const fans = { fanIn: kernelSize * kernelSize * inChannels, fanOut: kernelSize * kernelSize * filters };
    const useBias = spec.useBias ?? false;
    let input = x;
    let padding: 'same' | 'valid' = spec.padding ?? 'same';
    if (padding === 'same' && strides > 1 && kernelSize > 1) {
      const pad = Math.floor((kernelSize - 1) / 2);
      input = tfl.layers.zeroPadding2d({ padding: pad, name: `${spec.name}_pad` }).apply(x) as Symbolic;
      padding = 'valid';
    }
    const kernelSeed = this.seeds.next();
    const biasSeed = this.seeds.next();
    return tfl.layers
      .conv2d({
        name: spec.name,
        filters,
        kernelSize,
        strides,
        padding,
        useBias,
        kernelInitializer: kernelInitializer(spec.init, fans, kernelSeed),
        biasInitializer: biasInitializer(spec.init, fans, biasSeed),
        kernelRegularizer: this.kernelRegularizer(),
      })
      .apply(input) as Symbolic;
  }

  /** A k x k transposed conv with stride k (U-Net's "up-convolution"), output k times larger. */
  upConv(x: Symbolic, spec: { name: string; filters: number; factor: number; init: InitScheme }): Symbolic {
    const inChannels = channelsOf(x);
    const k = spec.factor;
    // Each output pixel of a stride-k, k x k transposed conv receives exactly one input pixel per channel.
    const fans = { fanIn: inChannels, fanOut: k * k * spec.filters };
    const kernelSeed = this.seeds.next();
    const biasSeed = this.seeds.next();
    return tfl.layers
      .conv2dTranspose({
        name: spec.name,
        filters: spec.filters,
        kernelSize: k,
        strides: k,
        padding: 'valid',
        useBias: true,
        kernelInitializer: kernelInitializer(spec.init, fans, kernelSeed),
        biasInitializer: biasInitializer(spec.init, fans, biasSeed),
        kernelRegularizer: this.kernelRegularizer(),
      })
      .apply(x) as Symbolic;
  }

  dense(x: Symbolic, spec: DenseSpec): Symbolic {
    const inUnits = x.shape[x.shape.length - 1];
    if (typeof inUnits !== 'number') {
      throw new BackboneError(`dense layer ${spec.name}: the input's last dimension must be known.`);
    }
    const fans = { fanIn: inUnits, fanOut: spec.units };
    const kernelSeed = this.seeds.next();
    const biasSeed = this.seeds.next();
    return tfl.layers
      .dense({
        name: spec.name,
        units: spec.units,
        useBias: spec.useBias ?? true,
        activation: spec.activation ?? 'linear',
        kernelInitializer: kernelInitializer(spec.init, fans, kernelSeed),
        biasInitializer: biasInitializer(spec.init, fans, biasSeed),
        kernelRegularizer: this.kernelRegularizer(),
      })
      .apply(x) as Symbolic;
  }

  /**
   * BatchNorm with gamma = 1, beta = 0, as every paper here initialises it; training runs the fused
   * normalization of @curvad/runtime (FusedBatchNormalization: same weights and inference as tfjs-layers').
   */
  batchNorm(x: Symbolic, name: string): Symbolic {
    return fusedBatchNormalization({ name, axis: -1, momentum: BATCH_NORM_MOMENTUM, epsilon: BATCH_NORM_EPSILON }).apply(x) as Symbolic;
  }

  relu(x: Symbolic, name: string): Symbolic {
    return tfl.layers.activation({ activation: 'relu', name }).apply(x) as Symbolic;
  }

  /** Dropout is unseeded on purpose: tfjs draws the same mask on every step for a fixed seed. */
  dropout(x: Symbolic, rate: number, name: string): Symbolic {
    return rate > 0 ? (tfl.layers.dropout({ rate, name }).apply(x) as Symbolic) : x;
  }
}

export function channelsOf(x: Symbolic): number {
  const channels = x.shape[x.shape.length - 1];
  if (typeof channels !== 'number') {
    throw new BackboneError('the number of input channels must be known (NHWC with a fixed C).');
  }
  return channels;
}
