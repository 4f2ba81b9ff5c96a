// Test-only: a custom layer class (y = x times a trainable scalar) that worker threads know only
// after importing this module (DataParallelTrainer's workerModules).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

type LayerVariable = ReturnType<tfl.layers.Layer['addWeight']>;

export class ScaleLayer extends tfl.layers.Layer {
  static className = 'CurvadDataParallelTestScale';
  private factor: LayerVariable | null = null;

  override build(): void {
    this.factor = this.addWeight('factor', [], 'float32', tfl.initializers.constant({ value: 1.5 }));
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.mul(x, this.factor!.read());
  }
}

tf.serialization.registerClass(ScaleLayer);
