import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { DetectorModel } from './detector';
import { getDetector } from './detector-registry';
import { rotateEachImage, rotateImages } from './rotate-images';
import { releasedRotationScore, rotationCrossEntropyScore } from './rotation-scores';
import { expectClose, expectNoLeak, klSoftmax64, logSumExp64, randomRows, softmax64 } from './test-utils';

/** @curvad/datasets' rotate90 loop, in plain JS: the source pixel of (y, x) after `turns` counter-clockwise turns. */
function rotate64(image: number[][][], turns: number): number[][][] {
  const n = image.length;
  return image.map((row, y) =>
    row.map((_, x) => {
      const [sy, sx] = turns === 0 ? [y, x] : turns === 1 ? [x, n - 1 - y] : turns === 2 ? [n - 1 - y, n - 1 - x] : [n - 1 - x, y];
      return image[sy]![sx]!;
    }),
  );
}

const IMAGES = [0, 1].map((i) =>
  Array.from({ length: 3 }, (_, y) => Array.from({ length: 3 }, (_, x) => [100 * i + 10 * y + x, -(100 * i + 10 * y + x)])),
);

describe('rotateImages', () => {
  it.each([0, 1, 2, 3])('turns %i quarter turns as @curvad/datasets rotate90, pixel for pixel', (turns) => {
    const x = tf.tensor4d(IMAGES);
    const got = rotateImages(x, turns);
    expect(got.arraySync()).toEqual(IMAGES.map((image) => rotate64(image, turns)));
    tf.dispose([x, got]);
  });

  it('rotateEachImage turns image i by turns[i]; refuses a rotation outside 0..3 and non-square images', () => {
    const x = tf.tensor4d(IMAGES);
    const got = rotateEachImage(x, [3, 1]);
    expect(got.arraySync()).toEqual([rotate64(IMAGES[0]!, 3), rotate64(IMAGES[1]!, 1)]);
    expect(() => rotateEachImage(x, [0, 4])).toThrow(/rotation 1 is 4; rotations are the integers 0..3/);
    expect(() => rotateImages(tf.zeros([1, 2, 3, 1]) as tf.Tensor4D, 1)).toThrow(/square NHWC images/);
    expectNoLeak(() => rotateEachImage(x, [2, 0]));
    tf.dispose([x, got]);
  });
});

describe('rotationCrossEntropyScore', () => {
  it('is the float64 sum over r of logsumexp(l_r) - l_r[r]', () => {
    const logits = [0, 1, 2, 3].map((r) => randomRows(5, 4, 11 + r, 4));
    const want = logits[0]!.map((_, i) => logits.reduce((s, rows, r) => s + logSumExp64(rows[i]!) - rows[i]![r]!, 0));
    const tensors = logits.map((rows) => tf.tensor2d(rows));
    expectClose(rotationCrossEntropyScore(tensors), want);
    expectClose(rotationCrossEntropyScore(tensors, { batchSize: 2 }), want);
    expectNoLeak(() => rotationCrossEntropyScore(tensors));
    expect(() => rotationCrossEntropyScore(tensors.slice(0, 3))).toThrow(/pass 4 tensors/);
    expect(() => rotationCrossEntropyScore([tf.zeros([5, 3]), ...tensors.slice(1)])).toThrow(/expected \[batch, 4\] rotation logits/);
    tf.dispose(tensors);
  });
});

describe('releasedRotationScore', () => {
  const e = [
    [3, 0, 0, 0],
    [0, 2, 0, 0],
    [0, 0, 1, 0.5],
    [0.2, 0, 0, 1],
  ];
  const g1 = randomRows(4, 4, 5, 2);
  const g2 = randomRows(4, 4, 6, 2);
  const rotations = [0, 1, 3, 3]; // row 2 predicts 2, not 3: score 1

  it('tanh(KL(softmax(E) || softmax(G))) for one geometric head, 1 where the rotation is mispredicted (float64)', () => {
    const want = e.map((row, i) => (i === 2 ? 1 : Math.tanh(klSoftmax64(row, g1[i]!))));
    const [te, tg] = [tf.tensor2d(e), tf.tensor2d(g1)];
    expectClose(releasedRotationScore(te, [tg], rotations), want);
    expectNoLeak(() => releasedRotationScore(te, [tg], rotations));
    tf.dispose([te, tg]);
  });

  it('tanh(sqrt(KL_S^2 + KL_H^2)) for two heads and 1 - MSP for none (float64)', () => {
    const mixed = e.map((row, i) => (i === 2 ? 1 : Math.tanh(Math.hypot(klSoftmax64(row, g1[i]!), klSoftmax64(row, g2[i]!)))));
    const plain = e.map((row, i) => (i === 2 ? 1 : 1 - Math.max(...softmax64(row))));
    const [te, t1, t2] = [tf.tensor2d(e), tf.tensor2d(g1), tf.tensor2d(g2)];
    expectClose(releasedRotationScore(te, [t1, t2], rotations), mixed);
    expectClose(releasedRotationScore(te, [], rotations), plain);
    expect(() => releasedRotationScore(te, [], [0, 1, 2])).toThrow(/3 rotations for 4 rows/);
    expect(() => releasedRotationScore(te, [], [0, 1, 2, 7])).toThrow(/rotations\[3\] is 7/);
    tf.dispose([te, t1, t2]);
  });
});

describe('RotNet detectors', () => {
  // A fixed "model": linear maps from the flattened image to Euclidean and geometric rotation logits.
  const pixels = 3 * 3 * 2;
  const we = randomRows(pixels, 4, 21, 0.05);
  const wg = randomRows(pixels, 4, 22, 0.05);
  const matmul64 = (flat: number[], w: number[][]) => [0, 1, 2, 3].map((j) => flat.reduce((s, v, p) => s + v * w[p]![j]!, 0));
  const logits64 = (image: number[][][], w: number[][]) => matmul64(image.flat(2), w);
  const model = (withGeometric: boolean): DetectorModel => ({
    outputs: [
      { index: 0, role: 'logits', space: 'euclidean' },
      ...(withGeometric ? [{ index: 1, role: 'logits' as const, space: 'sphere' as const }] : []),
    ],
    apply: (x) => {
      const flat = tf.reshape(x, [x.shape[0]!, pixels]);
      return [tf.matMul(flat, tf.tensor2d(we)), ...(withGeometric ? [tf.matMul(flat, tf.tensor2d(wg))] : [])];
    },
  });
  const x = () => tf.tensor4d(IMAGES);

  it('rotnet-ce turns each image four times and sums the CE of the true rotation (float64)', () => {
    const want = IMAGES.map((image) =>
      [0, 1, 2, 3].reduce((s, r) => {
        const l = logits64(rotate64(image, r), we);
        return s + logSumExp64(l) - l[r]!;
      }, 0),
    );
    const input = x();
    expectClose(getDetector('rotnet-ce').score(model(false), { x: input }), want, 1e-4);
    expectNoLeak(() => getDetector('rotnet-ce').score(model(false), { x: input }));
    input.dispose();
  });

  it('rotnet-zEG sums KL(E || G) over the rotations, rotnet-zEG-text is its negation (float64)', () => {
    const want = IMAGES.map((image) =>
      [0, 1, 2, 3].reduce((s, r) => s + klSoftmax64(logits64(rotate64(image, r), we), logits64(rotate64(image, r), wg)), 0),
    );
    const input = x();
    expectClose(getDetector('rotnet-zEG').score(model(true), { x: input }), want, 1e-4);
    expectClose(
      getDetector('rotnet-zEG-text').score(model(true), { x: input }),
      want.map((v) => -v),
      1e-4,
    );
    expect(() => getDetector('rotnet-zEG').score(model(false), { x: input })).toThrow(/no curved logits output/);
    input.dispose();
  });

  it('rotnet-released turns image i by data.labels[i] and scores it as releasedRotationScore (float64)', () => {
    const rotations = [1, 2];
    const want = IMAGES.map((image, i) => {
      const l = logits64(rotate64(image, rotations[i]!), we);
      const g = logits64(rotate64(image, rotations[i]!), wg);
      return l.indexOf(Math.max(...l)) === rotations[i] ? Math.tanh(klSoftmax64(l, g)) : 1;
    });
    const input = x();
    expectClose(getDetector('rotnet-released').score(model(true), { x: input, labels: rotations }), want, 1e-4);
    expect(() => getDetector('rotnet-released').score(model(true), { x: input })).toThrow(/pass the rotation \(0..3\)/);
    expect(() => getDetector('rotnet-ce', { temperature: 2 })).toThrow(/takes no options; remove 'temperature'/);
    input.dispose();
  });
});
