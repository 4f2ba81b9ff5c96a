// The training loss of a head (paper Sec. IV-C): cross-entropy on each classifier, summed. GiO:
// l = l_G (for a mixed head, one term per component classifier); GiT: l = l_E + l_G.
import * as tf from '@tensorflow/tfjs-core';
import { softmaxCrossEntropy } from './cross-entropy';
import { GeoLayersError } from './errors';
import { type GeoHeadSpec, logitOutputs } from './head-spec';

export type GeoLoss = (outputs: tf.Tensor | tf.Tensor[], labels: tf.Tensor) => tf.Scalar;

/** The summed cross-entropy of every classifier output of `spec`, on the model's outputs. */
export function geoLoss(spec: GeoHeadSpec): GeoLoss {
  const classifiers = logitOutputs(spec);
  return (outputs, labels) => {
    const list = Array.isArray(outputs) ? outputs : [outputs];
    const missing = classifiers.find((o) => list[o.index] === undefined);
    if (missing !== undefined) {
      throw new GeoLayersError(
        `geo-head loss: expected the model's ${spec.outputs.length} outputs, got ${list.length}; pass every output of model.apply / model.predict.`,
      );
    }
    return tf.tidy(() => tf.addN(classifiers.map((o) => softmaxCrossEntropy(list[o.index]!, labels))) as tf.Scalar);
  };
}
