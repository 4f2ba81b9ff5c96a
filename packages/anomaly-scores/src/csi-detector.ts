// The 'csi' detector (Tack et al. 2020): fitted on the normal training images like 'knn', but it
// turns the images itself (rotateImages) and runs `model.apply` on each rotation, like the
// 'rotnet-*' detectors, so fit and score need `data.x`. It reads the model's 'features' output
// (CSI's projection head z) and, for the shift term, the Euclidean 'logits' output (the rotation
// classifier). The score is -s_CSI (higher = more anomalous), see csi-score.ts.
import * as tf from '@tensorflow/tfjs-core';
import { type CsiDetector, type CsiFeatures, type CsiFitOptions, fitCsi, resolveCsiFitOptions } from './csi-score';
import type { Detector, DetectorData, DetectorFactory, DetectorModel } from './detector';
import { inputAndApply, outputWith } from './detector';
import { describeOptions, scoreOptions, splitOptions } from './detector-options';
import { AnomalyScoreError } from './errors';
import { rotateImages } from './rotate-images';
import { assertPositiveInteger } from './validate';

const NAME = 'csi';
const FIT_KEYS = ['rotations', 'balancing', 'shiftTerm', 'trainBlockSize'];
/** Images per forward pass: bounds the activations of model.apply on a large training set. */
const CSI_DETECTOR_DEFAULT_APPLY_ROWS = 256;

/** The model's features (and rotation logits) on every image of `x` turned by `turns`, batch by batch. */
function outputsOnRotation(
  model: DetectorModel,
  data: DetectorData,
  turns: number,
  shiftTerm: boolean,
  applyRows: number,
): { features: tf.Tensor; logits?: tf.Tensor } {
  const { x, apply } = inputAndApply(model, data, NAME);
  const featureIndex = outputWith(model, NAME, 'features').index;
  const logitIndex = shiftTerm ? outputWith(model, NAME, 'logits', 'euclidean').index : -1;
  const rows = x.shape[0] ?? 0;
  const features: tf.Tensor[] = [];
  const logits: tf.Tensor[] = [];
  try {
    for (let start = 0; start < rows; start += applyRows) {
      const size = Math.min(applyRows, rows - start);
      const [f, l] = tf.tidy(() => {
        const batch = tf.slice(x, [start, 0, 0, 0], [size, -1, -1, -1]) as tf.Tensor4D;
        const outputs = apply(rotateImages(batch, turns));
        return [outputs[featureIndex]!, ...(shiftTerm ? [outputs[logitIndex]!] : [])];
      });
      features.push(f!);
      if (l !== undefined) logits.push(l);
    }
    const joined = { features: tf.concat(features), ...(shiftTerm ? { logits: tf.concat(logits) } : {}) };
    return joined;
  } finally {
    tf.dispose([...features, ...logits]);
  }
}

function csiInputs(
  model: DetectorModel,
  data: DetectorData,
  rotations: readonly number[],
  shiftTerm: boolean,
  applyRows: number,
): CsiFeatures {
  if (data.x === undefined || data.x.rank !== 4) {
    throw new AnomalyScoreError(
      `detector '${NAME}' turns the images itself: pass NHWC images as data.x (got ${data.x === undefined ? 'none' : `shape [${data.x.shape.join(', ')}]`}).`,
    );
  }
  const features: tf.Tensor[] = [];
  const shiftLogits: tf.Tensor[] = [];
  try {
    for (const r of rotations) {
      const o = outputsOnRotation(model, data, r, shiftTerm, applyRows);
      features.push(o.features);
      if (o.logits !== undefined) shiftLogits.push(o.logits);
    }
  } catch (error) {
    tf.dispose([...features, ...shiftLogits]);
    throw error;
  }
  return shiftTerm ? { features, shiftLogits } : { features };
}

const release = (input: CsiFeatures) => tf.dispose([...input.features, ...(input.shiftLogits ?? [])]);

export const CSI_DETECTORS: Record<string, DetectorFactory> = {
  [NAME]: (options) => {
    const [fitOptions, rest] = splitOptions(scoreOptions(options, NAME), [...FIT_KEYS, 'applyBatchSize']);
    if (rest.output !== undefined) {
      throw new AnomalyScoreError(`detector '${NAME}' always returns -s_CSI (higher = more anomalous); remove the option output.`);
    }
    const { applyBatchSize, ...csiFitOptions } = fitOptions;
    const applyRows = applyBatchSize ?? CSI_DETECTOR_DEFAULT_APPLY_ROWS;
    assertPositiveInteger(applyRows, `detector '${NAME}': applyBatchSize`);
    const resolved = resolveCsiFitOptions(csiFitOptions as CsiFitOptions, `detector '${NAME}'`);
    const { rotations, shiftTerm } = resolved;
    let fitted: CsiDetector | undefined;
    const detector: Detector = {
      name: NAME,
      description: `CSI: sum over rotations of balanced max cosine to the train features times the norm, plus the balanced rotation logit (Tack et al. 2020)${describeOptions(options ?? {})}`,
      needsInput: true,
      fit(model, idTrainData) {
        const train = csiInputs(model, idTrainData, rotations, shiftTerm, applyRows);
        try {
          const next = fitCsi(train, resolved);
          fitted?.dispose();
          fitted = next;
        } finally {
          release(train);
        }
      },
      score(model, data) {
        if (fitted === undefined) {
          throw new AnomalyScoreError(
            `detector '${NAME}' is not fitted: call fit(model, idTrainData) with the normal training images as idTrainData.x before score (or it was disposed).`,
          );
        }
        const test = csiInputs(model, data, rotations, shiftTerm, applyRows);
        try {
          return fitted.score(test, rest) as Float32Array;
        } finally {
          release(test);
        }
      },
      dispose() {
        fitted?.dispose();
        fitted = undefined;
      },
    };
    return detector;
  },
};
