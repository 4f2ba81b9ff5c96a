// The README's "released composition" example, run as a test so the documented code keeps working.
// Keep the two in sync.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { buildGeoModel, git, predictOutputs } from './index';
import { column, dot, expectClose, type Matrix, norm, toMatrix } from './test-support';

it('README example: the released MiT', () => {
  const x = tf.randomNormal([4, 16], 0, 3, 'float32', 2);
  // ---- README example start ----
  // The released MiT on a 16-d feature: AngleLinear (m = 1) on the raw feature, ToPoincare (expmap0,
  // margin 1e-3, Riemannian gradient) + Ganea's MLR, both spaces fed the whole feature.
  const input = tfl.input({ shape: [16] });
  const head = git(input, {
    geometry: 'mixed',
    k: [1, -1],
    classes: 10,
    sphereComposition: 'released',
    productMode: 'duplicate',
    poincareMode: 'expmap0',
    xi: 1e-3,
    riemannianGradient: true,
    mlr: 'ganea',
    seed: 1,
  });
  const model = buildGeoModel(input, head);
  const [logitsE, logitsS, logitsH, eS, eH] = predictOutputs(model, x);
  // ---- README example end ----
  expect(logitsS!.shape).toEqual([4, 10]);
  expect(eH!.shape).toEqual([4, 16]);
  // logits_S = ||e|| cos(theta_j) of the raw feature (k = 1).
  const rows = toMatrix(x);
  const kernel = toMatrix(model.getLayer('geo_logits_s').getWeights()[0]!);
  const expected: Matrix = rows.map((e) => kernel[0]!.map((_, j) => dot(e, column(kernel, j)) / norm(column(kernel, j))));
  expectClose(toMatrix(logitsS!), expected, 1e-5);
  tf.dispose([x, logitsE!, logitsS!, logitsH!, eS!, eH!]);
});
