// The detectors fitted on in-distribution training features: Mahalanobis (Lee et al. 2018, class
// means and a tied covariance, so fit needs labels) and KNN (Sun et al. 2022). Both read the
// model's 'features' output; scoring before fit is an error that says to fit first.
import type * as tf from '@tensorflow/tfjs-core';
import { type Detector, type DetectorData, type DetectorFactory, type DetectorModel, outputWith, withOutputs } from './detector';
import { type DetectorOptions, describeOptions, scoreOptions, splitOptions } from './detector-options';
import { AnomalyScoreError } from './errors';
import { fitKnn, type KnnDetector } from './knn';
import { fitMahalanobis, type MahalanobisDetector } from './mahalanobis';

type Fitted = MahalanobisDetector | KnnDetector;

function fittedDetector(
  name: string,
  what: string,
  fitKeys: readonly string[],
  fitOn: (features: tf.Tensor, data: DetectorData, fitOptions: DetectorOptions) => Fitted,
): DetectorFactory {
  return (options) => {
    const [fitOptions, rest] = splitOptions(scoreOptions(options, name), fitKeys);
    let fitted: Fitted | undefined;
    const features = (model: DetectorModel, outputs: readonly tf.Tensor[]) => outputs[outputWith(model, name, 'features').index]!;
    const detector: Detector = {
      name,
      description: `${what}${describeOptions(options ?? {})}`,
      needsInput: false,
      fit(model, idTrainData) {
        const next = withOutputs(model, idTrainData, name, (outputs) => fitOn(features(model, outputs), idTrainData, fitOptions));
        fitted?.dispose();
        fitted = next;
      },
      score(model, data) {
        if (fitted === undefined) {
          throw new AnomalyScoreError(
            `detector '${name}' is not fitted: call fit(model, idTrainData) with in-distribution training data before score (or it was disposed).`,
          );
        }
        const detectorState = fitted;
        return withOutputs(model, data, name, (outputs) => detectorState.score(features(model, outputs), rest) as Float32Array);
      },
      dispose() {
        fitted?.dispose();
        fitted = undefined;
      },
    };
    return detector;
  };
}

export const FITTED_DETECTORS: Record<string, DetectorFactory> = {
  mahalanobis: fittedDetector(
    'mahalanobis',
    'Mahalanobis: min squared distance to a class mean, tied covariance fitted on ID train features (Lee et al. 2018)',
    ['ridge', 'numClasses'],
    (features, data, fitOptions) => {
      if (data.labels === undefined) {
        throw new AnomalyScoreError("detector 'mahalanobis': fit needs the class labels of the training samples as idTrainData.labels.");
      }
      return fitMahalanobis(features, data.labels, fitOptions);
    },
  ),
  knn: fittedDetector(
    'knn',
    'KNN: distance to the k-th nearest normalised ID train feature (Sun et al. 2022; normalize: false for raw features)',
    ['k', 'trainBlockSize', 'normalize'],
    (features, _data, fitOptions) => fitKnn(features, fitOptions),
  ),
};
