// The app's scoring names detectors of the @curvad/anomaly-scores registry: every row of every model
// is a registered detector looked up by name, and gives the numbers of the score function it stands for.

import {
  divergenceScore,
  energyScore,
  hyperbolicScore,
  maxLogitScore,
  maxSoftmaxScore,
  mixedDivergenceScore,
} from '@curvad/anomaly-scores';
import { geoHeadOf, predictOutputs } from '@curvad/geo-layers';
import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FloatImages } from '../../../core/eval-images';
import { type ModelName, type OodConfigInput, PAPER_MODEL_NAMES, parseOodConfig } from '../config/ood-config';
import { type BuiltModel, buildOodModel } from '../model/build-model';
import { TINY_CLASSES, TINY_IMAGE_SHAPE, TINY_MNIST_HOLDOUT } from '../test-support';
import { DETECTOR_NAMES, scoreMethods } from './score-methods';

const SHAPE = TINY_IMAGE_SHAPE;
const CLASSES = TINY_CLASSES;
const config = parseOodConfig({
  name: 'score-methods',
  ...TINY_MNIST_HOLDOUT,
  embeddingDim: 4,
  models: [...PAPER_MODEL_NAMES],
  detectors: { msp: true, odin: true, maxlogit: true, energy: true, mahalanobis: true, knn: true },
  epochs: 1,
  batchSize: 8,
  trials: 1,
  seed: 3,
} satisfies OodConfigInput);

const built = new Map<ModelName, BuiltModel>();
let images: FloatImages;
let x: tf.Tensor4D;

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
  for (const name of PAPER_MODEL_NAMES) built.set(name, buildOodModel(name, config, SHAPE, CLASSES, 5));
  x = tf.randomUniform([5, ...SHAPE], 0, 1, 'float32', 2) as tf.Tensor4D;
  images = { x: x.dataSync() as Float32Array, shape: [5, ...SHAPE] };
});
afterAll(() => {
  for (const b of built.values()) b.model.dispose();
  x.dispose();
});

describe('scoreMethods', () => {
  test("every model's rows, with every detector on (the paper's tables plus MaxLogit, energy, Mahalanobis and KNN)", () => {
    const rows = Object.fromEntries(
      PAPER_MODEL_NAMES.map((name) => [
        name,
        scoreMethods(built.get(name)!, config, DETECTOR_NAMES).map((m) => `${m.detector}:${m.method}`),
      ]),
    );
    const fitted = (model: string) => [`mahalanobis:Mahalanobis +${model}`, `knn:KNN (k=50) +${model}`];
    // MaxLogit and energy on every model (issue 14 item 3), named like 'ODIN +HiO'; a mixed GiO head has two classifiers.
    const logit = (row: string) => [`maxlogit:MaxLogit ${row}`, `energy:Energy ${row}`];
    expect(rows).toEqual({
      baseline: ['msp:MSP', 'odin:ODIN', 'maxlogit:MaxLogit', 'energy:Energy', 'mahalanobis:Mahalanobis', 'knn:KNN (k=50)'],
      SiO: [...logit('+SiO'), 'geometric:+SiO', ...fitted('SiO')],
      HiO: [...logit('+HiO'), 'geometric:+HiO', 'odin-hyperbolic:ODIN +HiO', ...fitted('HiO')],
      MiO: [
        'maxlogit:MaxLogit +MiO (sphere)',
        'maxlogit:MaxLogit +MiO (ball)',
        'energy:Energy +MiO (sphere)',
        'energy:Energy +MiO (ball)',
        'geometric:+MiO',
        ...fitted('MiO'),
      ],
      SiT: [...logit('+SiT'), 'geometric:+SiT', 'geometric:+SiT (text: 1 - tanh z)', ...fitted('SiT')],
      HiT: [...logit('+HiT'), 'geometric:+HiT', 'geometric:+HiT (text: 1 - tanh z)', ...fitted('HiT')],
      MiT: [...logit('+MiT'), 'geometric:+MiT', 'geometric:+MiT (text: 1 - tanh z)', ...fitted('MiT')],
    });
  });

  test('rows give the numbers of the score functions they stand for', () => {
    // Without the fitted detectors the rows compute on the model's own outputs (with them, its feature is appended).
    const ownOutputs = DETECTOR_NAMES.filter((d) => d !== 'mahalanobis' && d !== 'knn');
    const scoreOf = (name: ModelName, method: string, outputs: tf.Tensor2D[]) =>
      Array.from(
        scoreMethods(built.get(name)!, config, ownOutputs)
          .find((m) => m.method === method)!
          .compute(outputs, images),
      );
    const base = predictOutputs(built.get('baseline')!.model, x) as tf.Tensor2D[];
    expect(scoreOf('baseline', 'MSP', base)).toEqual(Array.from(maxSoftmaxScore(base[0]!)));
    expect(scoreOf('baseline', 'MaxLogit', base)).toEqual(Array.from(maxLogitScore(base[0]!)));
    expect(scoreOf('baseline', 'Energy', base)).toEqual(Array.from(energyScore(base[0]!)));
    const hit = predictOutputs(built.get('HiT')!.model, x) as tf.Tensor2D[];
    expect(scoreOf('HiT', '+HiT', hit)).toEqual(
      Array.from(divergenceScore(hit[0]!, hit[1]!, { output: 'rank', direction: 'larger-is-anomalous' })),
    );
    expect(scoreOf('HiT', '+HiT (text: 1 - tanh z)', hit)).toEqual(
      Array.from(divergenceScore(hit[0]!, hit[1]!, { output: 'rank', direction: 'larger-is-normal' })),
    );
    const mit = predictOutputs(built.get('MiT')!.model, x) as tf.Tensor2D[];
    expect(scoreOf('MiT', '+MiT', mit)).toEqual(Array.from(mixedDivergenceScore(mit[0]!, [mit[1]!, mit[2]!], { output: 'rank' })));
    const hio = built.get('HiO')!;
    const hioOut = predictOutputs(hio.model, x) as tf.Tensor2D[];
    const k = geoHeadOf(hio.model).curvature('poincare');
    expect(scoreOf('HiO', '+HiO', hioOut)).toEqual(Array.from(hyperbolicScore(hioOut[1]!, { k, output: 'rank' })));
    // MaxLogit / energy: a GiT model's Euclidean logits (output 0), a GiO model's geometric logits, each of a mixed head's two.
    expect(scoreOf('HiT', 'MaxLogit +HiT', hit)).toEqual(Array.from(maxLogitScore(hit[0]!)));
    expect(scoreOf('HiT', 'Energy +HiT', hit)).toEqual(Array.from(energyScore(hit[0]!)));
    expect(scoreOf('HiO', 'MaxLogit +HiO', hioOut)).toEqual(Array.from(maxLogitScore(hioOut[0]!)));
    expect(scoreOf('HiO', 'Energy +HiO', hioOut)).toEqual(Array.from(energyScore(hioOut[0]!)));
    const mio = predictOutputs(built.get('MiO')!.model, x) as tf.Tensor2D[];
    expect(scoreOf('MiO', 'MaxLogit +MiO (sphere)', mio)).toEqual(Array.from(maxLogitScore(mio[0]!)));
    expect(scoreOf('MiO', 'Energy +MiO (ball)', mio)).toEqual(Array.from(energyScore(mio[1]!)));
    expect(scoreOf('MiO', 'MaxLogit +MiO (ball)', mio)).not.toEqual(scoreOf('MiO', 'MaxLogit +MiO (sphere)', mio));
    tf.dispose([...base, ...hit, ...mit, ...hioOut, ...mio]);
  });
});
