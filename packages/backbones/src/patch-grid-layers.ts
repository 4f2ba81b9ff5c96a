// The two reshuffles of Patch-SVDD's hierarchical encoding (Yi & Yoon 2020, Sec. 3.3; `forward_hier` in
// the reference code): cut a K x K patch into its four K/2 quadrants stacked along the batch (so the K/2
// encoder runs once, on a 4x batch, with shared weights), and lay the four resulting embeddings out as a
// 2x2 grid again. Quadrant order: top-left, top-right, bottom-left, bottom-right, as torch.cat there.
// Layers rather than four applications of the inner encoder: tfjs counts every symbolic application of
// a layer as a reference, so a model applying one sub-model four times would never free its weights.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

const QUADRANTS = 4;

function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0]! : inputs;
}

function singleShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
}

/** [b, K, K, C] -> [4b, K/2, K/2, C]: the quadrants of every patch, quadrant-major along the batch. */
export class QuadrantsToBatch extends tfl.layers.Layer {
  /** Unique across tfjs: layer deserialisation looks classes up by this name alone. */
  static className = 'CurvadPatchQuadrantsToBatch';

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [batch, height, width, channels] = singleShape(inputShape);
    return [batch == null ? null : QUADRANTS * batch, height! / 2, width! / 2, channels!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor4D;
      const half = x.shape[1] / 2;
      const quadrant = (top: number, left: number) => tf.slice(x, [0, top, left, 0], [-1, half, half, -1]);
      return tf.concat([quadrant(0, 0), quadrant(0, half), quadrant(half, 0), quadrant(half, half)], 0);
    });
  }
}

/** [4b, D] (quadrant-major) -> [b, 2, 2, D]: each patch's four quadrant embeddings as a 2x2 map. */
export class BatchToGrid extends tfl.layers.Layer {
  static className = 'CurvadPatchBatchToGrid';

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = singleShape(inputShape);
    const batch = shape[0];
    return [batch == null ? null : batch / QUADRANTS, 2, 2, shape[shape.length - 1]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const features = x.shape[x.shape.length - 1]!;
      const [topLeft, topRight, bottomLeft, bottomRight] = tf.split(x, QUADRANTS, 0).map((q) => tf.reshape(q, [-1, 1, 1, features]));
      return tf.concat([tf.concat([topLeft!, topRight!], 2), tf.concat([bottomLeft!, bottomRight!], 2)], 1);
    });
  }
}

tf.serialization.registerClass(QuadrantsToBatch);
tf.serialization.registerClass(BatchToGrid);
