import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectorModel } from './detector';
import { getDetector, listDetectors, registerDetector, unregisterDetector } from './detector-registry';
import { divergenceScore } from './divergence-score';
import { energyScore } from './energy-score';
import { AnomalyScoreError } from './errors';
import { hyperbolicScore } from './hyperbolic-score';
import { fitKnn } from './knn';
import { fitMahalanobis } from './mahalanobis';
import { maxLogitScore } from './max-logit-score';
import { maxSoftmaxScore } from './max-softmax-score';
import { mixedDivergenceScore } from './mixed-divergence-score';
import { mixedScore } from './mixed-score';
import { odinScore } from './odin';
import { sphericalScore } from './spherical-score';
import { expectNoLeak } from './test-utils';
import { gaussianClasses, type TinyModel, trainTinyModel } from './tiny-model.test-fixture';

const K = -1;
/** Keeps the tanh features (|h| <= 4) inside the unit ball (k = -1): |0.2 h| <= 0.8. */
const BALL_SCALE = 0.2;

let tiny: TinyModel;
let model: DetectorModel;
let x: tf.Tensor2D;
let trainX: tf.Tensor2D;
/** A tiny model with every kind of output a detector reads: a MiT-like head plus its features. */
function outputsOf(input: tf.Tensor): tf.Tensor[] {
  const logits = tiny.logits(input);
  const hidden = tiny.hidden(input);
  return [logits, tf.mul(logits, 0.1), tf.mul(logits, 0.5), tf.mul(hidden, BALL_SCALE), hidden];
}

beforeAll(() => {
  tiny = trainTinyModel(60);
  model = {
    outputs: [
      { index: 0, role: 'logits', space: 'euclidean' },
      { index: 1, role: 'logits', space: 'sphere' },
      { index: 2, role: 'logits', space: 'poincare' },
      { index: 3, role: 'embedding', space: 'poincare', k: K },
      { index: 4, role: 'features', space: 'euclidean' },
    ],
    apply: outputsOf,
  };
  x = tf.tensor2d(gaussianClasses(3, 5).x);
  trainX = tf.tensor2d(tiny.trainX);
});
afterAll(() => {
  tf.dispose([x, trainX]);
  tiny.dispose();
});

/** The direct call of each registered detector's score function on the same outputs. */
const DIRECT: Record<string, (o: tf.Tensor[]) => Float32Array> = {
  msp: (o) => maxSoftmaxScore(o[0]!),
  maxlogit: (o) => maxLogitScore(o[0]!),
  energy: (o) => energyScore(o[0]!),
  zS: (o) => sphericalScore(o[1]!, { output: 'rank' }),
  zH: (o) => hyperbolicScore(o[3]!, { k: K, output: 'rank' }),
  zM: (o) =>
    mixedScore(
      [
        { space: 'spherical', logits: o[1]! },
        { space: 'hyperbolic', embedding: o[3]!, k: K },
      ],
      { output: 'rank' },
    ),
  zEG: (o) => divergenceScore(o[0]!, o[1]!, { output: 'rank', direction: 'larger-is-anomalous' }),
  'zEG-text': (o) => divergenceScore(o[0]!, o[1]!, { output: 'rank', direction: 'larger-is-normal' }),
  zEM: (o) => mixedDivergenceScore(o[0]!, [o[1]!, o[2]!], { output: 'rank', direction: 'larger-is-anomalous' }),
  'zEM-text': (o) => mixedDivergenceScore(o[0]!, [o[1]!, o[2]!], { output: 'rank', direction: 'larger-is-normal' }),
};
const GEOMETRIC = new Set(['zS', 'zH', 'zM', 'zEG', 'zEG-text', 'zEM', 'zEM-text']);

describe('detector registry', () => {
  it('registers the paper scores, ODIN, ELOC, MaxLogit, energy, Mahalanobis, KNN and the RotNet scores', () => {
    expect(listDetectors()).toEqual([
      'msp',
      'maxlogit',
      'energy',
      'zS',
      'zH',
      'zM',
      'zEG',
      'zEG-text',
      'zEM',
      'zEM-text',
      'odin',
      'odin-hyperbolic',
      'eloc',
      'mahalanobis',
      'knn',
      'rotnet-ce',
      'rotnet-zEG',
      'rotnet-zEG-text',
      'rotnet-zEM',
      'rotnet-zEM-text',
      'rotnet-released',
      'csi',
    ]);
    for (const name of listDetectors()) expect(getDetector(name).name).toBe(name);
  });

  it.each(Object.keys(DIRECT))('%s gives the numbers of its score function, from given outputs and from a forward pass', (name) => {
    const options = GEOMETRIC.has(name) ? { output: 'rank' } : {};
    const outputs = outputsOf(x);
    const want = Array.from(DIRECT[name]!(outputs));
    const detector = getDetector(name, options);
    expect(detector.needsInput).toBe(false);
    expect(Array.from(detector.score(model, { outputs }))).toEqual(want);
    expect(Array.from(detector.score(model, { x }))).toEqual(want);
    expectNoLeak(() => detector.score(model, { outputs }));
    expectNoLeak(() => detector.score(model, { x }));
    tf.dispose(outputs);
  });

  it('odin and odin-hyperbolic give the numbers of odinScore on the picked output', () => {
    const odin = getDetector('odin', { temperature: 1000, epsilon: 0.002, batchSize: 5 });
    const want = odinScore((input) => tiny.logits(input), x, { temperature: 1000, epsilon: 0.002, batchSize: 5 });
    expect(odin.needsInput).toBe(true);
    expect(Array.from(odin.score(model, { x }))).toEqual(Array.from(want));
    const hyp = getDetector('odin-hyperbolic', { epsilon: 0.002, output: 'rank' });
    const wantHyp = odinScore((input) => tf.mul(tiny.hidden(input), BALL_SCALE), x, {
      score: 'hyperbolic',
      k: K,
      epsilon: 0.002,
      output: 'rank',
    });
    expect(Array.from(hyp.score(model, { x }))).toEqual(Array.from(wantHyp));
    expectNoLeak(() => odin.score(model, { x }));
    expectNoLeak(() => hyp.score(model, { x }));
  });

  it('mahalanobis and knn fit on ID train features and then give the numbers of the fitted score', () => {
    const features = tiny.hidden(x);
    const trainFeatures = tiny.hidden(trainX);
    const maha = getDetector('mahalanobis', { ridge: 1e-4 });
    const knn = getDetector('knn', { k: 3 });
    for (const d of [maha, knn]) {
      expect(() => d.score(model, { x })).toThrow(/not fitted: call fit\(model, idTrainData\)/);
    }
    expect(() => maha.fit!(model, { x: trainX })).toThrow(/fit needs the class labels/);
    const refMaha = fitMahalanobis(trainFeatures, tiny.trainY, { ridge: 1e-4 });
    const refKnn = fitKnn(trainFeatures, { k: 3 });
    const before = tf.memory().numTensors;
    maha.fit!(model, { x: trainX, labels: tiny.trainY });
    knn.fit!(model, { x: trainX });
    expect(Array.from(maha.score(model, { x }))).toEqual(Array.from(refMaha.score(features)));
    expect(Array.from(knn.score(model, { x }))).toEqual(Array.from(refKnn.score(features)));
    expectNoLeak(() => maha.score(model, { x }));
    expectNoLeak(() => knn.score(model, { x }));
    // Refitting replaces (and frees) the old fit; dispose frees the last one.
    const afterFit = tf.memory().numTensors;
    knn.fit!(model, { x: trainX });
    expect(tf.memory().numTensors).toBe(afterFit);
    maha.dispose!();
    knn.dispose!();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => knn.score(model, { x })).toThrow(/not fitted/);
    refMaha.dispose();
    refKnn.dispose();
    tf.dispose([features, trainFeatures]);
  });

  it('names the registered detectors for an unknown name, refuses a second registration of a name', () => {
    expect(() => getDetector('mahalanobsi')).toThrow(AnomalyScoreError);
    expect(() => getDetector('mahalanobsi')).toThrow(
      /unknown detector 'mahalanobsi'; registered: msp, maxlogit, .*mahalanobis, knn, rotnet-ce, .*rotnet-released, csi\./,
    );
    expect(() => registerDetector('msp', () => getDetector('msp'))).toThrow(/'msp' is already registered/);
    registerDetector('negated-msp', (options) => {
      const msp = getDetector('msp', options);
      return { ...msp, name: 'negated-msp', score: (m, d) => msp.score(m, d).map((v) => -v) };
    });
    try {
      expect(listDetectors()).toContain('negated-msp');
      const outputs = outputsOf(x);
      expect(Array.from(getDetector('negated-msp').score(model, { outputs }))).toEqual(
        Array.from(maxSoftmaxScore(outputs[0]!)).map((v) => -v),
      );
      tf.dispose(outputs);
    } finally {
      expect(unregisterDetector('negated-msp')).toBe(true);
    }
  });

  it('says what is missing: an output the model lacks, the inputs ODIN perturbs, a direction fixed by the name', () => {
    const baseline: DetectorModel = { outputs: [{ index: 0, role: 'logits', space: 'euclidean' }] };
    const logits = tiny.logits(x);
    expect(() => getDetector('zH').score(baseline, { outputs: [logits] })).toThrow(
      /detector 'zH': the model has no poincare embedding output \(its outputs: 0: euclidean logits\)/,
    );
    expect(() => getDetector('odin').score(baseline, { outputs: [logits] })).toThrow(/perturbs the input: pass the inputs as data.x/);
    expect(() => getDetector('msp').score(baseline, { outputs: [logits, logits] })).toThrow(
      /data.outputs holds 2 tensors but the model describes 1/,
    );
    expect(() => getDetector('msp').score(baseline, {})).toThrow(/give data.outputs/);
    expect(() => getDetector('msp', { asTensor: true })).toThrow(/remove the option asTensor/);
    expect(() => getDetector('zEG', { direction: 'larger-is-normal' }).score(model, { x })).toThrow(/use 'zEG' .* or 'zEG-text'/);
    expect(() =>
      getDetector('zH').score({ ...model, outputs: model.outputs.map((o) => (o.index === 3 ? { ...o, k: undefined } : o)) }, { x }),
    ).toThrow(/Poincare output 3 needs its curvature k < 0/);
    logits.dispose();
  });
});
