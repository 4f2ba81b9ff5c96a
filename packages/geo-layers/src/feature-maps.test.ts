// Issue 16, per-pixel geometric layers: every layer takes a feature map [batch, h, w, channels] and
// acts at each pixel exactly as on feature rows (the pixels gathered as rows), with gradients,
// learned curvatures and clear errors for other ranks.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { AngularLinear } from './angular-linear';
import { GeoLayersError } from './errors';
import { HypLinear } from './hyp-linear';
import { HypMLR } from './hyp-mlr';
import { ProductEmbedding } from './product-embedding';
import { checkGradient, checkVariableGradient, expectNoLeak, randomMatrix, scalarize } from './test-support';
import { ToPoincare } from './to-poincare';
import { ToSphere } from './to-sphere';

const MAP: [number, number, number] = [2, 3, 2]; // batch, h, w
const CHANNELS = 4;
const PIXELS = MAP[0] * MAP[1] * MAP[2];

/** A fixed feature map [2, 3, 2, 4] with entries in [-scale, scale]. */
const featureMap = (seed: number, scale = 1) => tf.tensor4d(randomMatrix(PIXELS, CHANNELS, seed, scale).flat(), [...MAP, CHANNELS]);

/** Every layer type (and its modes), fresh, with 4 input features. */
const LAYERS: Record<string, () => tfl.layers.Layer> = {
  ToSphere: () => new ToSphere({ k: 2 }),
  'ToSphere (learned k)': () => new ToSphere({ k: 2, learnCurvature: true }),
  'ToPoincare clip': () => new ToPoincare({ k: -0.5 }),
  'ToPoincare expmap0 + Riemannian gradient': () => new ToPoincare({ k: -1, mode: 'expmap0', xi: 1e-3, riemannianGradient: true }),
  'AngularLinear paper': () => new AngularLinear({ units: 3, k: 1.5, seed: 1 }),
  'AngularLinear sphereface': () => new AngularLinear({ units: 3, k: 1, variant: 'sphereface', scale: 2, seed: 2 }),
  'HypMLR ganea': () => new HypMLR({ classes: 3, k: -0.5, seed: 3 }),
  'HypMLR compact': () => new HypMLR({ classes: 3, k: -1, parametrization: 'compact', seed: 4 }),
  HypLinear: () => new HypLinear({ units: 5, k: -0.5, seed: 5 }),
  'ProductEmbedding split': () =>
    new ProductEmbedding({
      components: [
        { geometry: 'sphere', k: 1 },
        { geometry: 'poincare', k: -0.5 },
      ],
    }),
  'ProductEmbedding duplicate, learned': () =>
    new ProductEmbedding({
      components: [{ geometry: 'sphere', k: 1 }, { geometry: 'poincare', k: -1 }, { geometry: 'euclidean' }],
      mode: 'duplicate',
      poincareMode: 'expmap0',
      learnCurvature: true,
    }),
};

const outputsOf = (y: tf.Tensor | tf.Tensor[]): tf.Tensor[] => (Array.isArray(y) ? y : [y]);

/** The ball layers expect points in the ball: their inputs are scaled into it. */
const inputScale = (name: string) => (name.startsWith('HypMLR') || name.startsWith('HypLinear') ? 0.3 : 2);

describe('geometric layers on feature maps [batch, h, w, channels] (per pixel)', () => {
  for (const [name, make] of Object.entries(LAYERS)) {
    it(`${name}: each pixel's output equals the row layer on the pixels gathered as rows`, () => {
      const layer = make();
      const map = featureMap(11, inputScale(name));
      const rows = tf.reshape(map, [PIXELS, CHANNELS]);
      const perPixel = outputsOf(layer.apply(map) as tf.Tensor | tf.Tensor[]);
      const asRows = outputsOf(layer.apply(rows) as tf.Tensor | tf.Tensor[]);
      expect(perPixel.length).toBe(asRows.length);
      perPixel.forEach((out, i) => {
        const width = asRows[i]!.shape[1]!;
        expect(out.shape).toEqual([...MAP, width]);
        expect(Array.from(out.dataSync())).toEqual(Array.from(asRows[i]!.dataSync()));
      });
      // One pixel alone as a one-row batch gives the same values (no mixing between pixels).
      const pixel = 7;
      const single = outputsOf(layer.apply(tf.slice(rows, [pixel, 0], [1, CHANNELS])) as tf.Tensor | tf.Tensor[]);
      single.forEach((out, i) => {
        const width = out.shape[1]!;
        const fromMap = Array.from(perPixel[i]!.dataSync().slice(pixel * width, (pixel + 1) * width));
        for (const [j, v] of Array.from(out.dataSync()).entries()) expect(v).toBeCloseTo(fromMap[j]!, 5);
      });
      const symbolicShape = layer.computeOutputShape([null, 8, 8, CHANNELS]);
      const shapes = (Array.isArray(symbolicShape[0]) ? symbolicShape : [symbolicShape]) as (number | null)[][];
      expect(shapes).toEqual(asRows.map((t) => [null, 8, 8, t.shape[1]]));
      tf.dispose([map, rows, ...perPixel, ...asRows, ...single]);
    });

    it(`${name}: gradients on a tiny map equal the rows' and match finite differences`, () => {
      const layer = make();
      const tiny = tf.tensor4d(randomMatrix(4, CHANNELS, 21, inputScale(name) / 2).flat(), [1, 2, 2, CHANNELS]);
      const objective = (t: tf.Tensor) =>
        tf.addN(outputsOf(layer.apply(t) as tf.Tensor | tf.Tensor[]).map((y, i) => scalarize(tf.reshape(y, [4, -1]), 7 + i))) as tf.Scalar;
      const fromMap = tf.tidy(() => Array.from(tf.grad(objective)(tiny).dataSync()));
      const fromRows = tf.tidy(() =>
        Array.from(
          tf
            .grad(objective)(tf.reshape(tiny, [4, CHANNELS]))
            .dataSync(),
        ),
      );
      expect(fromMap).toEqual(fromRows);
      // The released Riemannian rescaling is deliberately not the derivative (riemannian-gradient.ts):
      // for it, equality with the row layer's backward pass above is the check.
      if (!name.includes('Riemannian')) checkGradient(objective, tiny, { h: 5e-3 });
      tiny.dispose();
    });

    it(`${name}: does not leak tensors on a feature map`, () => {
      const layer = make();
      const map = featureMap(31, inputScale(name));
      expectNoLeak(() => tf.dispose(layer.apply(map) as tf.Tensor | tf.Tensor[]));
      map.dispose();
    });
  }

  it('weights and a learned curvature get finite-difference gradients through a per-pixel loss', () => {
    const map = featureMap(41, 0.3);
    const mlr = new HypMLR({ classes: 3, k: -0.5, seed: 6 });
    mlr.apply(map);
    for (const weight of mlr.trainableWeights) {
      checkVariableGradient(() => scalarize(mlr.apply(map) as tf.Tensor), weight.read() as tf.Variable, { h: 5e-3 });
    }
    const toBall = new ToPoincare({ k: -1, mode: 'expmap0', learnCurvature: true });
    toBall.apply(map);
    checkVariableGradient(() => scalarize(toBall.apply(map) as tf.Tensor), toBall.trainableWeights[0]!.read() as tf.Variable, { h: 5e-3 });
    map.dispose();
  });

  it('rejects rank 3 (and other ranks) with a GeoLayersError naming the layer, the shape and the fix', () => {
    for (const [name, make] of Object.entries(LAYERS)) {
      for (const shape of [[3, 2, CHANNELS], [1, 2, 2, 2, CHANNELS], [CHANNELS]]) {
        let error: unknown;
        try {
          make().apply(tf.zeros(shape));
        } catch (e) {
          error = e;
        }
        expect(GeoLayersError.isInstance(error), `${name} ${shape}`).toBe(true);
        expect(String(error)).toMatch(new RegExp(`rank ${shape.length} \\(shape \\[${shape.join(', ')}\\]\\)`));
        expect(String(error)).toMatch(/\[batch, h, w, channels\]/);
      }
    }
  });

  it('rejects a map whose channels differ from the width the weights were built for', () => {
    const layer = new HypMLR({ classes: 3, k: -1 });
    layer.apply(tf.zeros([1, 2, 2, CHANNELS]));
    expect(() => layer.apply(tf.zeros([1, 2, 2, CHANNELS + 1]))).toThrow(/built for 4 features, got 5/);
  });
});
