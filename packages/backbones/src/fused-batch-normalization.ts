// BatchNormalization whose training step runs @curvad/runtime's batchNormTraining: the batch's
// statistics and the normalization with one closed-form gradient, instead of tf.moments and
// tf.batchNorm differentiated op by op. Same weights, configuration, inference and moving averages
// as tfjs-layers' BatchNormalization (a subclass of it); only the training-mode forward and backward
// passes change (4 kernels over x-sized tensors instead of at least 9).
import { batchNormTraining } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { BackboneError } from './errors';

/** tfjs-layers' batchNormalization arguments. */
export type FusedBatchNormalizationArgs = NonNullable<Parameters<typeof tfl.layers.batchNormalization>[0]>;

type LayerVariable = ReturnType<tfl.layers.Layer['addWeight']>;

/** The fields of tfjs-layers' BatchNormalization the training path reads (tfjs 4.22's names). */
interface BatchNormalizationFields {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma?: LayerVariable;
  beta?: LayerVariable;
  movingMean: LayerVariable;
  movingVariance: LayerVariable;
}

/** tfjs-layers' BatchNormalization class, from the serialization registry its module fills on import. */
function batchNormalizationClass(): typeof tfl.layers.Layer {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap.BatchNormalization;
  if (entry === undefined) {
    throw new BackboneError('tfjs-layers did not register BatchNormalization; @curvad/backbones needs @tensorflow/tfjs-layers 4.x.');
  }
  return entry[0] as unknown as typeof tfl.layers.Layer;
}

export class FusedBatchNormalization extends batchNormalizationClass() {
  /** Unique across tfjs: layer deserialisation looks classes up by this name alone. */
  static className = 'CurvadFusedBatchNormalization';

  constructor(args: FusedBatchNormalizationArgs = {}) {
    super(args);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Parameters<tfl.layers.Layer['call']>[1] = {}): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const self = this as unknown as BatchNormalizationFields;
    const axis = self.axis >= 0 ? self.axis : self.axis + x.rank;
    const fused =
      kwargs.training === true &&
      x.rank >= 2 &&
      axis === x.rank - 1 &&
      x.dtype === 'float32' &&
      self.center &&
      self.scale &&
      self.gamma !== undefined &&
      self.beta !== undefined;
    if (!fused) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTraining(x, self.gamma!.read() as tf.Tensor1D, self.beta!.read() as tf.Tensor1D, self.epsilon);
      // The moving averages as tfjs-layers updates them: v - (v - batch value) * (1 - momentum).
      for (const [variable, value] of [
        [self.movingMean, mean],
        [self.movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          const current = variable.read();
          variable.write(tf.sub(current, tf.mul(tf.sub(current, value), 1 - self.momentum)));
        });
      }
      return y;
    });
  }
}

tf.serialization.registerClass(FusedBatchNormalization);

/** A FusedBatchNormalization layer (tfjs-layers' batchNormalization arguments). */
export function fusedBatchNormalization(args: FusedBatchNormalizationArgs = {}): FusedBatchNormalization {
  return new FusedBatchNormalization(args);
}
