// Issue 14, item 1: the released sphere head (AngleLinear, m = 1, on the RAW feature) as a head option.
// Before the option, every sphere head put ToSphere in front of AngularLinear, so 'sphereface' logits
// were cos(theta_j) whatever the feature norm.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { attachGeoHeads } from './attach-geo-heads';
import { GeoLayersError } from './errors';
import type { GeoHeadOptions } from './geometric-branch';
import { buildGeoModel, type GeoHead, gio, git, predictOutputs } from './heads';
import { loadModel, saveModel } from './model-io';
import { column, dot, expectClose, type Matrix, norm, randomMatrix, toMatrix } from './test-support';

const FEATURES = 5;
const CLASSES = 4;
/** Raw features with norms from ~1 to ~6, so ||e|| cos(theta) and cos(theta) are far apart. */
const rows = randomMatrix(6, FEATURES, 11, 3);

/** sqrt(k) ||e|| cos(theta_j) = sqrt(k) <e, w_j> / ||w_j||, in float64. */
function releasedLogits64(features: Matrix, kernel: Matrix, k: number): Matrix {
  return features.map((e) =>
    Array.from({ length: kernel[0]!.length }, (_, j) => (Math.sqrt(k) * dot(e, column(kernel, j))) / norm(column(kernel, j))),
  );
}

function modelOf(build: (features: tfl.SymbolicTensor) => GeoHead): tfl.LayersModel {
  const input = tfl.input({ shape: [FEATURES] });
  return buildGeoModel(input, build(input));
}

function outputsOf(model: tfl.LayersModel, x: Matrix = rows): Matrix[] {
  return tf.tidy(() => predictOutputs(model, tf.tensor2d(x)).map(toMatrix));
}

function kernelOf(model: tfl.LayersModel): Matrix {
  return toMatrix(model.getLayer('geo_logits_s').getWeights()[0]!);
}

function geoError(run: () => unknown): GeoLayersError {
  try {
    run();
  } catch (error) {
    if (GeoLayersError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a GeoLayersError');
}

const maxAbsDifference = (a: Matrix, b: Matrix): number => Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i]![j]!))));

describe("sphereComposition 'released' (AngleLinear, m = 1, on the raw feature)", () => {
  it.each([1, 2.5, 0.3])('SiO logits equal sqrt(k) ||e|| cos(theta_j) of the feature (k = %s)', (k) => {
    const model = modelOf((f) => gio(f, { geometry: 'sphere', k, classes: CLASSES, sphereComposition: 'released', seed: 3 }));
    const [logits, embedding] = outputsOf(model);
    expectClose(logits!, releasedLogits64(rows, kernelOf(model), k), 1e-5);
    // The sphere embedding output is ToSphere(e): on S_k, in the direction of e.
    embedding!.forEach((point, i) => {
      expect(norm(point)).toBeCloseTo(1 / Math.sqrt(k), 5);
      expect(dot(point, rows[i]!) / (norm(point) * norm(rows[i]!))).toBeCloseTo(1, 5);
    });
  });

  it('differs from the paper composition (ToSphere first), where both variants give bounded logits', () => {
    const k = 1;
    const released = modelOf((f) => gio(f, { geometry: 'sphere', k, classes: CLASSES, sphereComposition: 'released', seed: 3 }));
    const paperSphereface = modelOf((f) => gio(f, { geometry: 'sphere', k, classes: CLASSES, sphereVariant: 'sphereface', seed: 3 }));
    const paper = modelOf((f) => gio(f, { geometry: 'sphere', k, classes: CLASSES, seed: 3 }));
    const [releasedLogits] = outputsOf(released);
    const [sphereLogits] = outputsOf(paperSphereface);
    const [paperLogits] = outputsOf(paper);
    // Same prototypes (same seed): the paper compositions give cos(theta_j) (k = 1), the released one ||e|| cos(theta_j).
    expectClose(sphereLogits!, paperLogits!, 1e-5);
    expect(maxAbsDifference(releasedLogits!, paperLogits!)).toBeGreaterThan(1);
    expect(Math.max(...paperLogits!.flat().map(Math.abs))).toBeLessThanOrEqual(1 + 1e-6);
    expect(Math.max(...releasedLogits!.flat().map(Math.abs))).toBeGreaterThan(1);
  });

  it('SiT: the Euclidean classifier beside the released sphere classifier', () => {
    const k = 1;
    const model = modelOf((f) => git(f, { geometry: 'sphere', k, classes: CLASSES, sphereComposition: 'released', seed: 3 }));
    const [, sphereLogits] = outputsOf(model);
    expectClose(sphereLogits!, releasedLogits64(rows, kernelOf(model), k), 1e-5);
  });

  it.each(['gio', 'git'] as const)("mixed %s ('duplicate'): released sphere logits, the ball part unchanged", (kind) => {
    const options: GeoHeadOptions = { geometry: 'mixed', k: [1, -0.01], classes: CLASSES, productMode: 'duplicate', seed: 3 };
    const build = kind === 'gio' ? gio : git;
    const released = modelOf((f) => build(f, { ...options, sphereComposition: 'released' }));
    const paper = modelOf((f) => build(f, options));
    const offset = kind === 'git' ? 1 : 0; // git's first output is the Euclidean logits
    const releasedOut = outputsOf(released);
    const paperOut = outputsOf(paper);
    expectClose(releasedOut[offset]!, releasedLogits64(rows, kernelOf(released), 1), 1e-5);
    expect(maxAbsDifference(releasedOut[offset]!, paperOut[offset]!)).toBeGreaterThan(1);
    // Ball logits and both embeddings are the same functions of the feature in both compositions.
    for (const index of [offset + 1, offset + 2, offset + 3]) expectClose(releasedOut[index]!, paperOut[index]!, 1e-5);
  });

  it('attachGeoHeads passes the option on', () => {
    const input = tfl.input({ shape: [FEATURES] });
    const features = tfl.layers.dense({ units: FEATURES, name: 'features', useBias: false }).apply(input) as tfl.SymbolicTensor;
    const user = tfl.model({ inputs: input, outputs: features });
    const model = attachGeoHeads(user, {
      featureLayer: 'features',
      head: 'git',
      geometry: 'sphere',
      k: 1,
      classes: CLASSES,
      sphereComposition: 'released',
    });
    const feature = tf.tidy(() => toMatrix(user.predict(tf.tensor2d(rows)) as tf.Tensor));
    const [, sphereLogits] = outputsOf(model);
    expectClose(sphereLogits!, releasedLogits64(feature, kernelOf(model), 1), 1e-5);
  });

  it('survives saveModel / loadModel (the classifier still reads the raw feature)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'curvad-sphere-composition-'));
    try {
      const model = modelOf((f) =>
        git(f, { geometry: 'mixed', k: [2, -1], classes: CLASSES, sphereComposition: 'released', productMode: 'duplicate', seed: 5 }),
      );
      await saveModel(model, dir);
      const loaded = await loadModel(dir);
      const before = outputsOf(model);
      const after = outputsOf(loaded);
      before.forEach((output, i) => {
        expectClose(after[i]!, output, 1e-6);
      });
      expectClose(after[1]!, releasedLogits64(rows, kernelOf(loaded), 2), 1e-5);
      expect(loaded.getLayer('geo_logits_s').getConfig()).toMatchObject({ variant: 'sphereface', k: 2 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses what contradicts it, with errors that say what to do', () => {
    const input = () => tfl.input({ shape: [FEATURES] });
    const sphere = { geometry: 'sphere', k: 1, classes: CLASSES, sphereComposition: 'released' } as const;
    expect(geoError(() => gio(input(), { ...sphere, sphereVariant: 'paper' })).message).toMatch(
      /sphereVariant 'paper' contradicts it\. Omit sphereVariant, or use sphereComposition 'paper'/,
    );
    expect(geoError(() => gio(input(), { ...sphere, learnCurvature: true })).message).toMatch(
      /keeps the sphere curvature fixed.*learnCurvature: true needs sphereComposition: 'paper'/,
    );
    // gio's default product is 'split', which does not hand the raw feature to the sphere classifier.
    expect(geoError(() => gio(input(), { ...sphere, geometry: 'mixed', k: [1, -0.01] })).message).toMatch(
      /a 'split' product does not pass on; use productMode: 'duplicate'/,
    );
    expect(geoError(() => gio(input(), { ...sphere, sphereComposition: 'sphereface' as never })).message).toMatch(
      /sphereComposition must be 'paper' or 'released', got 'sphereface'/,
    );
    // Explicitly naming the classifier the composition uses is fine.
    expect(() => gio(input(), { ...sphere, sphereVariant: 'sphereface' })).not.toThrow();
  });
});
