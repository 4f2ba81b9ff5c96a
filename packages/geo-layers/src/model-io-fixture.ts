// A model using every geo layer, shared by the save/load tests on cpu and wasm (test-only module).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { attachGeoHeads } from './attach-geo-heads';
import { HypLinear } from './hyp-linear';
import { randomMatrix } from './test-support';
import { ToPoincare } from './to-poincare';

/**
 * input 5 -> dense 6 'features' -> GiT mixed head (learned curvatures, sphereface variant, expmap0),
 * plus a ToPoincare -> HypLinear side output, so every geo layer class is saved and rebuilt.
 */
export function everyLayerModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [5] });
  const features = tfl.layers
    .dense({ units: 6, name: 'features', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) })
    .apply(input) as tfl.SymbolicTensor;
  const user = tfl.model({ inputs: input, outputs: features });
  const withHead = attachGeoHeads(user, {
    featureLayer: 'features',
    head: 'git',
    geometry: 'mixed',
    k: [1, -0.5],
    classes: 3,
    learnCurvature: true,
    sphereVariant: 'sphereface',
    poincareMode: 'expmap0',
    seed: 7,
  });
  const ball = new ToPoincare({ k: -1, name: 'side_ball' }).apply(features) as tfl.SymbolicTensor;
  const side = new HypLinear({ units: 2, k: -1, seed: 9, name: 'side_hyp_linear' }).apply(ball) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: [...withHead.outputs, side], name: 'every_layer' });
  model.setUserDefinedMetadata(withHead.getUserDefinedMetadata() as object);
  // Move the learned curvatures away from their initial values, so the test sees they are saved.
  for (const weight of model.trainableWeights.filter((w) => w.name.includes('raw_k'))) {
    const shifted = tf.tidy(() => tf.add(weight.read(), 0.3));
    weight.write(shifted);
    shifted.dispose();
  }
  return model;
}

export const fixtureInput = (): tf.Tensor2D => tf.tensor2d(randomMatrix(4, 5, 17, 2));
