import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { parameterCount } from './parameter-count';
import { patchSvddEncoder, patchSvddInnerEncoder, patchSvddPositionClassifier } from './patch-svdd';

const LEAKY_SLOPE = 0.1;
async function roundTrip(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
}

const conv = (k: number, cin: number, cout: number) => k * k * cin * cout + cout;

// wasm runs the forward passes several times faster than the pure-JS cpu backend.
beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('Patch-SVDD encoders', () => {
  it("parameter counts equal the reference code's layer list (D = 64)", () => {
    const deep = [3, 32, 64, 128, 128, 64, 32, 32, 64];
    const encoder32 = deep.slice(1).reduce((sum, cout, i) => sum + conv(3, deep[i]!, cout), 0);
    const encoder64 = encoder32 + conv(2, 64, 128) + conv(1, 128, 64);
    const e32 = patchSvddEncoder({ patchSize: 32 });
    const e64 = patchSvddEncoder({ patchSize: 64 });
    expect(parameterCount(e32).trainable).toBe(encoder32);
    expect(parameterCount(e64).trainable).toBe(encoder64);
    expect(encoder64).toBe(401_984);
    e32.dispose();
    e64.dispose();
  });

  it('the 64 encoder embeds the four 32x32 quadrants with the shared inner encoder, laid out as a 2x2 grid', () => {
    const encoder = patchSvddEncoder({ patchSize: 64, seed: 4 });
    const inner = patchSvddInnerEncoder(encoder);
    expect(inner.inputs[0]!.shape).toEqual([null, 32, 32, 3]);
    const x = tf.randomUniform([1, 64, 64, 3], -1, 1, 'float32', 8);
    const actual = encoder.predict(x) as tf.Tensor;
    const expected = tf.tidy(() => {
      const quadrant = (top: number, left: number) =>
        tf.reshape(inner.predict(tf.slice(x, [0, top, left, 0], [1, 32, 32, 3])) as tf.Tensor, [1, 1, 1, 64]);
      const grid = tf.concat([tf.concat([quadrant(0, 0), quadrant(0, 32)], 2), tf.concat([quadrant(32, 0), quadrant(32, 32)], 2)], 1);
      const [k1, b1] = encoder.getLayer('merge_conv1').getWeights();
      const [k2, b2] = encoder.getLayer('merge_conv2').getWeights();
      const h = tf.leakyRelu(tf.add(tf.conv2d(grid as tf.Tensor4D, k1 as tf.Tensor4D, 1, 'valid'), b1!), LEAKY_SLOPE);
      return tf.reshape(tf.tanh(tf.add(tf.conv2d(h as tf.Tensor4D, k2 as tf.Tensor4D, 1, 'valid'), b2!)), [1, 64]);
    });
    const a = actual.dataSync();
    const e = expected.dataSync();
    expect(a.every((v) => v > -1 && v < 1)).toBe(true);
    a.forEach((v, i) => {
      expect(v).toBeCloseTo(e[i]!, 5);
    });
    // Swapping two quadrants changes the embedding: the layout matters.
    const swapped = tf.concat([tf.slice(x, [0, 0, 32, 0], [1, 64, 32, 3]), tf.slice(x, [0, 0, 0, 0], [1, 64, 32, 3])], 2);
    const other = encoder.predict(swapped) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(other, actual))).dataSync()[0]).toBeGreaterThan(1e-4);
    tf.dispose([x, actual, expected, swapped, other]);
    encoder.dispose();
  });

  it('the hierarchical encoder survives a save / load round trip (its custom layers are registered on import)', async () => {
    const encoder = patchSvddEncoder({ patchSize: 64, seed: 5 });
    const loaded = await roundTrip(encoder);
    const x = tf.randomUniform([1, 64, 64, 3], -1, 1, 'float32', 9);
    const a = encoder.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    encoder.dispose();
    loaded.dispose();
  });

  it('patchSvddInnerEncoder refuses a non-hierarchical encoder', () => {
    const e32 = patchSvddEncoder({ patchSize: 32 });
    expect(() => patchSvddInnerEncoder(e32)).toThrowError(/not a hierarchical Patch-SVDD encoder/);
    e32.dispose();
  });
});

describe('Patch-SVDD position classifier', () => {
  it('computes (c - n) -> fc LeakyReLU -> fc LeakyReLU -> NormalizedLinear, checked in float64', () => {
    const model = patchSvddPositionClassifier({ embeddingDim: 6, hiddenUnits: 5, classes: 8, seed: 2 });
    const c = tf.randomNormal([3, 6], 0, 1, 'float32', 1);
    const n = tf.randomNormal([3, 6], 0, 1, 'float32', 2);
    const logits = (model.predict([c, n]) as tf.Tensor).arraySync() as number[][];
    const weight = (name: string) =>
      model
        .getLayer(name)
        .getWeights()
        .map((w) => w.arraySync());
    const [w1, b1] = weight('fc1') as [number[][], number[]];
    const [w2, b2] = weight('fc2') as [number[][], number[]];
    const logitsLayer = model.getLayer('position_logits');
    const w3 = logitsLayer.nonTrainableWeights[0]!.read().arraySync() as number[][];
    const b3 = logitsLayer.trainableWeights[0]!.read().arraySync() as number[];
    const affine = (h: number[], w: number[][], b: number[]) => b.map((bj, j) => bj + h.reduce((s, hi, i) => s + hi * w[i]![j]!, 0));
    const leaky = (h: number[]) => h.map((v) => (v > 0 ? v : LEAKY_SLOPE * v));
    // Each input feature's weight column is normalised over the classes (PyTorch weight.norm(dim=0)).
    const w3n = w3.map((row) => {
      const norm = Math.sqrt(row.reduce((s, v) => s + v * v, 0));
      return row.map((v) => v / norm);
    });
    const cs = c.arraySync() as number[][];
    const ns = n.arraySync() as number[][];
    cs.forEach((ci, r) => {
      const h = leaky(
        affine(
          leaky(
            affine(
              ci.map((v, i) => v - ns[r]![i]!),
              w1,
              b1,
            ),
          ),
          w2,
          b2,
        ),
      );
      affine(h, w3n, b3).forEach((v, j) => {
        expect(logits[r]![j]).toBeCloseTo(v, 5);
      });
    });
    tf.dispose([c, n]);
    model.dispose();
  });

  it("keeps the NormalizedLinear kernel frozen (as the reference code's no_grad) and trains its bias", () => {
    const model = patchSvddPositionClassifier({ seed: 2 });
    const layer = model.getLayer('position_logits');
    expect(layer.trainableWeights.map((w) => w.shape)).toEqual([[8]]);
    expect(layer.nonTrainableWeights.map((w) => w.shape)).toEqual([[128, 8]]);
    const count = parameterCount(model);
    expect(count.total).toBe(64 * 128 + 128 + 128 * 128 + 128 + 128 * 8 + 8);
    // d/db sum(logits * r) = column sums of r.
    const c = tf.randomNormal([4, 64], 0, 1, 'float32', 3);
    const n = tf.randomNormal([4, 64], 0, 1, 'float32', 4);
    const r = tf.randomNormal([4, 8], 0, 1, 'float32', 5);
    const bias = layer.trainableWeights[0]!.read() as tf.Variable;
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(model.apply([c, n]) as tf.Tensor, r)) as tf.Scalar, [bias]);
    const expected = tf.sum(r, 0).arraySync() as number[];
    Array.from(grads[bias.name]!.dataSync()).forEach((g, j) => {
      expect(g).toBeCloseTo(expected[j]!, 5);
    });
    tf.dispose([c, n, r, ...Object.values(grads)]);
    model.dispose();
  });

  it('survives a save / load round trip (the custom layer is registered on import)', async () => {
    const model = patchSvddPositionClassifier({ seed: 7 });
    const loaded = await roundTrip(model);
    const c = tf.randomNormal([2, 64], 0, 1, 'float32', 1);
    const n = tf.randomNormal([2, 64], 0, 1, 'float32', 2);
    const a = model.predict([c, n]) as tf.Tensor;
    const b = loaded.predict([c, n]) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([c, n, a, b]);
    model.dispose();
    loaded.dispose();
  });
});
