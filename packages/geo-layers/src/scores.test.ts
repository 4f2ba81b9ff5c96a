import {
  divergenceScore,
  getDetector,
  hyperbolicScore,
  maxSoftmaxScore,
  mixedDivergenceScore,
  mixedScore,
  odinScore,
} from '@curvad/anomaly-scores';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { GeoLayersError } from './errors';
import { buildGeoModel, gio, git, predictOutputs } from './heads';
import { geoDetectorModel, geoHeadScores } from './scores';
import { expectClose, expectNoLeak, randomMatrix, toMatrix } from './test-support';

const FEATURES = 6;
const CLASSES = 3;

describe('@curvad/geo-layers/scores', () => {
  it('binds the @curvad/anomaly-scores functions to the outputs (z_S, z_H with a learned k, z_M, MSP, z_EG, z_EM)', () => {
    const input = tfl.input({ shape: [FEATURES] });
    const ball = buildGeoModel(input, gio(input, { geometry: 'poincare', k: -0.5, classes: CLASSES, learnCurvature: true, seed: 1 }));
    const rawK = ball.trainableWeights.find((w) => w.name.includes('raw_k'))!;
    const shifted = tf.tidy(() => tf.add(rawK.read(), 0.4));
    rawK.write(shifted);
    shifted.dispose();
    const toPoincare = ball.getLayer('geo_to_poincare') as unknown as { curvatureValue(): number };
    const c = -toPoincare.curvatureValue();
    expect(c).not.toBeCloseTo(0.5, 2);
    const sphere = buildGeoModel(input, gio(input, { geometry: 'sphere', k: 1, classes: CLASSES, seed: 2 }));
    const mixed = buildGeoModel(input, gio(input, { geometry: 'mixed', k: [1, -1], classes: CLASSES, seed: 3 }));
    const twoS = buildGeoModel(input, git(input, { geometry: 'sphere', k: 1, classes: CLASSES, seed: 4, name: 'sit' }));
    const twoM = buildGeoModel(input, git(input, { geometry: 'mixed', k: [1, -1], classes: CLASSES, seed: 5, name: 'mit' }));
    tf.tidy(() => {
      const x = tf.tensor2d(randomMatrix(5, FEATURES, 9, 2));
      const [zH] = geoHeadScores(ball);
      const hOut = predictOutputs(ball, x);
      const zHz = Array.from(zH!.compute(hOut, { output: 'z' }) as Float32Array);
      const expected = toMatrix(hOut[1]!).map((e) => (2 / Math.sqrt(c)) * Math.atanh(Math.sqrt(c) * Math.hypot(...e)));
      expectClose(zHz, expected, 1e-4);
      expect(Array.from(hyperbolicScore(hOut[1]!, { k: -c }))).toEqual(Array.from(zH!.compute(hOut) as Float32Array));

      const sOut = predictOutputs(sphere, x);
      const zS = geoHeadScores(sphere)[0]!;
      expectClose(
        Array.from(zS.compute(sOut, { output: 'z' }) as Float32Array),
        toMatrix(sOut[0]!).map((r) => Math.max(...r)),
        1e-6,
      );

      const mOut = predictOutputs(mixed, x);
      expect(Array.from(geoHeadScores(mixed)[0]!.compute(mOut) as Float32Array)).toEqual(
        Array.from(
          mixedScore([
            { space: 'spherical', logits: mOut[0]! },
            { space: 'hyperbolic', embedding: mOut[3]!, k: -1 },
          ]),
        ),
      );

      const tOut = predictOutputs(twoS, x);
      const [msp, zEG] = geoHeadScores(twoS);
      expect(Array.from(msp!.compute(tOut) as Float32Array)).toEqual(Array.from(maxSoftmaxScore(tOut[0]!)));
      expect(Array.from(zEG!.compute(tOut) as Float32Array)).toEqual(Array.from(divergenceScore(tOut[0]!, tOut[1]!)));
      expect(() => zEG!.compute(tOut, { input: 'embedding' })).toThrow(GeoLayersError);
      expect(() => zEG!.compute(tOut.slice(0, 1))).toThrow(/expected the model's 3 outputs/);

      const tmOut = predictOutputs(twoM, x);
      const zEM = geoHeadScores(twoM)[1]!;
      expect(Array.from(zEM.compute(tmOut) as Float32Array)).toEqual(Array.from(mixedDivergenceScore(tmOut[0]!, [tmOut[1]!, tmOut[2]!])));
    });
  });

  it('binds the scores of a GeoHead before a model is built, with the same names as its description', () => {
    const input = tfl.input({ shape: [FEATURES] });
    const head = git(input, { geometry: 'poincare', k: -1, classes: CLASSES, seed: 6, name: 'hit' });
    const scores = geoHeadScores(head);
    expect(scores.map((s) => s.name)).toEqual(head.spec.scores);
    expect(scores.map((s) => [s.equation, s.scoreFunction])).toEqual([
      ['AS = 1 - max softmax (baseline, Hendrycks & Gimpel)', 'maxSoftmaxScore'],
      ['Eq. 12', 'divergenceScore'],
    ]);
  });

  it('geoDetectorModel: the registry detectors score a geo model as the score functions do (with the trained k), leak-free', () => {
    const input = tfl.input({ shape: [FEATURES] });
    const features = tfl.layers
      .dense({ units: FEATURES, name: 'features', kernelInitializer: tfl.initializers.glorotUniform({ seed: 8 }) })
      .apply(input) as tfl.SymbolicTensor;
    const hio = buildGeoModel(input, gio(features, { geometry: 'poincare', k: -0.5, classes: CLASSES, learnCurvature: true, seed: 7 }));
    const rawK = hio.trainableWeights.find((w) => w.name.includes('raw_k'))!;
    const shifted = tf.tidy(() => tf.add(rawK.read(), 0.3));
    rawK.write(shifted);
    shifted.dispose();
    const detectorModel = geoDetectorModel(hio, { featureLayer: 'features' });
    const k = detectorModel.outputs[1]!.k!;
    expect(k).not.toBeCloseTo(-0.5, 2);
    expect(detectorModel.outputs.map((o) => `${o.index}:${o.role}:${o.space}`)).toEqual([
      '0:logits:poincare',
      '1:embedding:poincare',
      '2:features:euclidean',
    ]);
    const x = tf.tensor2d(randomMatrix(6, FEATURES, 11, 2));
    const outputs = detectorModel.apply!(x);
    expect(Array.from(getDetector('zH', { output: 'rank' }).score(detectorModel, { outputs }))).toEqual(
      Array.from(hyperbolicScore(outputs[1]!, { k, output: 'rank' })),
    );
    const odin = getDetector('odin-hyperbolic', { epsilon: 0.01, output: 'rank' });
    const ballOf = (t: tf.Tensor) => (hio.apply(t, { training: false }) as tf.Tensor[])[1]!;
    expect(Array.from(odin.score(detectorModel, { x }))).toEqual(
      Array.from(odinScore(ballOf, x, { score: 'hyperbolic', k, epsilon: 0.01, output: 'rank' })),
    );
    const knn = getDetector('knn', { k: 2 });
    knn.fit!(detectorModel, { x });
    expect(knn.score(detectorModel, { outputs })).toHaveLength(6);
    expectNoLeak(() => {
      odin.score(detectorModel, { x });
      getDetector('zH').score(detectorModel, { x });
    });
    knn.dispose!();
    expect(() => geoDetectorModel(hio, { featureLayer: 'featurs' })).toThrow(
      /has no layer 'featurs' \(featureLayer\); its layers: .*features/,
    );
    tf.dispose([x, ...outputs]);
  });
});
