// Patch-SVDD's NormalizedLinear (Yi & Yoon 2020, reference code): the last layer of the position
// classifier multiplies by W with every input feature's weight column normalised to unit length over
// the classes. The reference code normalises under torch.no_grad(), so W receives no gradient and stays
// at its random initialisation while the bias trains; we reproduce that with a non-trainable kernel.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export interface NormalizedLinearArgs {
  units: number;
  kernelSeed: number;
  biasSeed: number;
  name?: string;
}

type LayerVariable = ReturnType<tfl.layers.Layer['addWeight']>;

export class NormalizedLinear extends tfl.layers.Layer {
  /** Unique across tfjs: layer deserialisation looks classes up by this name alone. */
  static className = 'CurvadPatchSvddNormalizedLinear';
  readonly units: number;
  readonly kernelSeed: number;
  readonly biasSeed: number;
  private kernel: LayerVariable | null = null;
  private bias: LayerVariable | null = null;

  constructor(args: NormalizedLinearArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.units = args.units;
    this.kernelSeed = args.kernelSeed;
    this.biasSeed = args.biasSeed;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const inUnits = shape[shape.length - 1] as number;
    // PyTorch's nn.Linear default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias.
    const bound = 1 / Math.sqrt(inUnits);
    const uniform = (seed: number) => tfl.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
    this.kernel = this.addWeight('kernel', [inUnits, this.units], 'float32', uniform(this.kernelSeed), undefined, false);
    this.bias = this.addWeight('bias', [this.units], 'float32', uniform(this.biasSeed), undefined, true);
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const w = this.kernel!.read();
      const columnNorms = tf.sqrt(tf.sum(tf.square(w), 1, true));
      return tf.add(tf.matMul(x as tf.Tensor2D, tf.div(w, columnNorms) as tf.Tensor2D), this.bias!.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, kernelSeed: this.kernelSeed, biasSeed: this.biasSeed };
  }
}

tf.serialization.registerClass(NormalizedLinear);
