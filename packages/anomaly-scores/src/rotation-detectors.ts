// RotNet's detectors (one-class detection, paper Sec. V-B, Table VI): they turn the input images
// themselves (rotateImages) and run the model on each rotation, so they need `data.x` and
// `model.apply`. Every model output of the rotation head(s) is [batch, 4] logits.
// - 'rotnet-ce': the standard score (Hendrycks et al. 2019), sum over r of CE of the true rotation.
// - 'rotnet-zEG' / 'rotnet-zEM' (and '-text'): the GiT divergence (Eq. 12 / 13) on the rotation
//   logits, summed over the four rotations; '-text' ranks a larger divergence as normal.
// - 'rotnet-released': the authors' protocol, one rotation per image (data.labels), see rotation-scores.ts.
// Plain RotNet's 1 - MSP on the unrotated image is the 'msp' detector.
import * as tf from '@tensorflow/tfjs-core';
import type { Detector, DetectorData, DetectorFactory, DetectorModel } from './detector';
import { inputAndApply, outputsWith, outputWith } from './detector';
import { describeOptions, scoreOptions } from './detector-options';
import { divergenceScore } from './divergence-score';
import { AnomalyScoreError } from './errors';
import { mixedDivergenceScore } from './mixed-divergence-score';
import { ROTATIONS, rotateEachImage, rotateImages } from './rotate-images';
import { releasedRotationScore, rotationCrossEntropyScore } from './rotation-scores';

function checkNoOptions(options: Record<string, unknown>, name: string): void {
  const keys = Object.keys(options).filter((k) => k !== 'asTensor');
  if (keys.length > 0) {
    throw new AnomalyScoreError(`detector '${name}' takes no options; remove ${keys.map((k) => `'${k}'`).join(', ')}.`);
  }
}

/** The model's outputs on the images turned by rotation r (disposed after `use`). */
function onRotation<T>(
  model: DetectorModel,
  data: DetectorData,
  name: string,
  turn: (x: tf.Tensor4D) => tf.Tensor4D,
  use: (o: tf.Tensor[]) => T,
): T {
  const { x, apply } = inputAndApply(model, data, name);
  const outputs = tf.tidy(() => apply(turn(x as tf.Tensor4D)));
  try {
    return use(outputs);
  } finally {
    tf.dispose(outputs);
  }
}

function rotationDetector(name: string, what: string, run: (model: DetectorModel, data: DetectorData) => Float32Array): DetectorFactory {
  return (options) => {
    const resolved = scoreOptions(options, name);
    checkNoOptions(resolved, name);
    const detector: Detector = { name, description: `${what}${describeOptions(options ?? {})}`, needsInput: true, score: run };
    return detector;
  };
}

const euclideanIndex = (model: DetectorModel, name: string) => outputWith(model, name, 'logits', 'euclidean').index;
const curvedIndices = (model: DetectorModel, name: string) => outputsWith(model, name, 'logits', 'curved').map((o) => o.index);

function standardCrossEntropy(model: DetectorModel, data: DetectorData): Float32Array {
  const name = 'rotnet-ce';
  const e = euclideanIndex(model, name);
  const logits: tf.Tensor[] = [];
  try {
    for (let r = 0; r < ROTATIONS; r++) {
      logits.push(
        onRotation(
          model,
          data,
          name,
          (x) => rotateImages(x, r),
          (o) => o[e]!.clone(),
        ),
      );
    }
    return rotationCrossEntropyScore(logits);
  } finally {
    tf.dispose(logits);
  }
}

/** The divergence z of every rotation, summed, then oriented by `direction`. */
function summedDivergence(name: string, mixed: boolean, direction: 'larger-is-anomalous' | 'larger-is-normal') {
  return (model: DetectorModel, data: DetectorData): Float32Array => {
    const e = euclideanIndex(model, name);
    const curved = curvedIndices(model, name);
    const rows = data.x?.shape[0] ?? 0;
    const sum = new Float64Array(rows);
    for (let r = 0; r < ROTATIONS; r++) {
      const z = onRotation(
        model,
        data,
        name,
        (x) => rotateImages(x, r),
        (o) =>
          mixed
            ? mixedDivergenceScore(
                o[e]!,
                curved.map((i) => o[i]!),
                { output: 'z' },
              )
            : divergenceScore(o[e]!, o[curved[0]!]!, { output: 'z' }),
      );
      for (let i = 0; i < rows; i++) sum[i]! += z[i]!;
    }
    const sign = direction === 'larger-is-anomalous' ? 1 : -1;
    return Float32Array.from(sum, (s) => sign * s);
  };
}

function released(model: DetectorModel, data: DetectorData): Float32Array {
  const name = 'rotnet-released';
  if (data.labels === undefined) {
    throw new AnomalyScoreError(
      `detector '${name}': pass the rotation (0..3) to apply to each image as data.labels (the released protocol draws one per test image).`,
    );
  }
  const rotations = data.labels instanceof tf.Tensor ? (data.labels.dataSync() as ArrayLike<number>) : data.labels;
  const e = euclideanIndex(model, name);
  const curved = model.outputs.filter((o) => o.role === 'logits' && o.space !== 'euclidean').map((o) => o.index);
  return onRotation(
    model,
    data,
    name,
    (x) => rotateEachImage(x, rotations),
    (o) =>
      releasedRotationScore(
        o[e]!,
        curved.map((i) => o[i]!),
        rotations,
      ),
  );
}

export const ROTATION_DETECTORS: Record<string, DetectorFactory> = {
  'rotnet-ce': rotationDetector(
    'rotnet-ce',
    'RotNet standard score: sum over the 4 rotations of the cross-entropy of the true rotation (Hendrycks et al. 2019)',
    standardCrossEntropy,
  ),
  'rotnet-zEG': rotationDetector(
    'rotnet-zEG',
    'z_EG (Eq. 12) of the rotation logits summed over the 4 rotations; larger = anomalous (the released code)',
    summedDivergence('rotnet-zEG', false, 'larger-is-anomalous'),
  ),
  'rotnet-zEG-text': rotationDetector(
    'rotnet-zEG-text',
    "z_EG (Eq. 12) of the rotation logits summed over the 4 rotations; larger = normal (the text's 1 - tanh z)",
    summedDivergence('rotnet-zEG-text', false, 'larger-is-normal'),
  ),
  'rotnet-zEM': rotationDetector(
    'rotnet-zEM',
    'z_EM (Eq. 13) of the rotation logits summed over the 4 rotations; larger = anomalous (the released code)',
    summedDivergence('rotnet-zEM', true, 'larger-is-anomalous'),
  ),
  'rotnet-zEM-text': rotationDetector(
    'rotnet-zEM-text',
    "z_EM (Eq. 13) of the rotation logits summed over the 4 rotations; larger = normal (the text's 1 - tanh z)",
    summedDivergence('rotnet-zEM-text', true, 'larger-is-normal'),
  ),
  'rotnet-released': rotationDetector(
    'rotnet-released',
    "RotNet released protocol: one given rotation per image (data.labels), tanh(KL(softmax(E) || softmax(G))) (1 - MSP without a geometric head), 1 when the rotation is mispredicted (the authors' code)",
    released,
  ),
};
