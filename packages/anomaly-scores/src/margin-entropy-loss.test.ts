import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AnomalyScoreError } from './errors';
import { marginEntropyLoss } from './margin-entropy-loss';
import { expectClose, expectNoLeak, type Rows, softmax64 } from './test-utils';

const entropy64 = (row: readonly number[]) => -softmax64(row).reduce((s, p) => s + p * Math.log(p), 0);
const meanEntropy64 = (rows: Rows) => rows.reduce((s, r) => s + entropy64(r), 0) / rows.length;
const loss64 = (id: Rows, out: Rows, margin = 0.4, beta = 0.2) => beta * Math.max(0, margin + meanEntropy64(id) - meanEntropy64(out));

// Confident ID rows (low entropy) and flat held-out rows (high entropy): the hinge is inactive.
const CONFIDENT: Rows = [
  [4, 0, -1],
  [0.5, 3, 0],
];
const FLAT: Rows = [
  [0.1, 0, 0.2],
  [0, 0.3, 0.1],
  [0.2, 0.2, 0],
];

/** Central differences of loss64 in every logit of both batches, float64. */
function numericGradient(id: Rows, out: Rows, h = 1e-6): [Rows, Rows] {
  const bump = (rows: Rows, i: number, j: number, d: number) => rows.map((r, a) => r.map((v, b) => (a === i && b === j ? v + d : v)));
  const dId = id.map((r, i) => r.map((_, j) => (loss64(bump(id, i, j, h), out) - loss64(bump(id, i, j, -h), out)) / (2 * h)));
  const dOut = out.map((r, i) => r.map((_, j) => (loss64(id, bump(out, i, j, h)) - loss64(id, bump(out, i, j, -h))) / (2 * h)));
  return [dId, dOut];
}

describe('marginEntropyLoss (ELOC, Vyas et al. 2018)', () => {
  it('hand-computed: beta * (m + mean H(ID) - mean H(OOD)) when the hinge is active', () => {
    // ID rows flat, held-out rows confident: the held-out batch is LESS uncertain, the hinge is active.
    const id = tf.tensor2d(FLAT);
    const out = tf.tensor2d(CONFIDENT);
    const want = loss64(FLAT, CONFIDENT);
    // By hand: H([0.1,0,0.2]) = 1.0953, H([0,0.3,0.1]) = 1.0906, H([0.2,0.2,0]) = 1.0944, mean 1.0934;
    // H([4,0,-1]) = 0.1291, H([0.5,3,0]) = 0.4371, mean 0.2831; 0.2 (0.4 + 1.0934 - 0.2831) = 0.2421.
    expect(want).toBeCloseTo(0.2421, 4);
    expectClose([marginEntropyLoss(id, out).dataSync()[0]!], [want], 1e-5);
    expectClose([marginEntropyLoss(id, out, { margin: 1, beta: 2 }).dataSync()[0]!], [loss64(FLAT, CONFIDENT, 1, 2)], 1e-5);
    tf.dispose([id, out]);
  });

  it('is exactly 0, with a zero gradient, when the held-out batch is more uncertain by more than the margin', () => {
    const id = tf.tensor2d(CONFIDENT);
    const out = tf.tensor2d(FLAT);
    expect(meanEntropy64(FLAT) - meanEntropy64(CONFIDENT)).toBeGreaterThan(0.4);
    expect(marginEntropyLoss(id, out).dataSync()[0]).toBe(0);
    const [gId, gOut] = tf.grads((a: tf.Tensor, b: tf.Tensor) => marginEntropyLoss(a, b))([id, out]);
    expect(Array.from(gId!.dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(gOut!.dataSync()).every((v) => v === 0)).toBe(true);
    // A larger margin switches the hinge on.
    expect(marginEntropyLoss(id, out, { margin: 2 }).dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([id, out, gId!, gOut!]);
  });

  it('its gradient matches float64 finite differences (hinge active)', () => {
    const idRows: Rows = [
      [0.3, -0.2, 0.5],
      [1, 0.8, -0.4],
    ];
    const outRows: Rows = [
      [2, -1, 0],
      [0, 1.5, 0.5],
      [-1, 0, 2.5],
    ];
    expect(loss64(idRows, outRows)).toBeGreaterThan(0);
    const id = tf.tensor2d(idRows);
    const out = tf.tensor2d(outRows);
    const [gId, gOut] = tf.grads((a: tf.Tensor, b: tf.Tensor) => marginEntropyLoss(a, b))([id, out]);
    const [wantId, wantOut] = numericGradient(idRows, outRows);
    expectClose(gId!.dataSync(), wantId.flat(), 1e-3, 1e-6);
    expectClose(gOut!.dataSync(), wantOut.flat(), 1e-3, 1e-6);
    // Raising the ID entropy raises the loss, raising the held-out entropy lowers it.
    expect(wantId.flat().some((v) => Math.abs(v) > 1e-3)).toBe(true);
    tf.dispose([id, out, gId!, gOut!]);
  });

  it('leaks no tensor, also under tf.grad', () => {
    const id = tf.tensor2d(FLAT);
    const out = tf.tensor2d(CONFIDENT);
    expectNoLeak(() => marginEntropyLoss(id, out));
    expectNoLeak(() => tf.dispose(tf.grads((a: tf.Tensor, b: tf.Tensor) => marginEntropyLoss(a, b))([id, out])));
    tf.dispose([id, out]);
  });

  it('says what is wrong: class counts, empty batches, a single class, options', () => {
    const three = tf.tensor2d(FLAT);
    const four = tf.zeros([2, 4]);
    const single = tf.zeros([2, 1]);
    const empty = tf.zeros([0, 3]);
    expect(() => marginEntropyLoss(three, four)).toThrow(AnomalyScoreError);
    expect(() => marginEntropyLoss(three, four)).toThrow(/idLogits has 3 classes but marginEntropyLoss: heldOutLogits has 4/);
    expect(() => marginEntropyLoss(three, empty)).toThrow(/heldOutLogits has no rows/);
    expect(() => marginEntropyLoss(single, single)).toThrow(/needs >= 2 kept classes/);
    expect(() => marginEntropyLoss(three, three, { margin: -0.1 })).toThrow(/margin must be a finite number >= 0, got -0.1/);
    expect(() => marginEntropyLoss(three, three, { beat: 0.2 } as never)).toThrow(/unknown option 'beat'/);
    tf.dispose([three, four, single, empty]);
  });
});
