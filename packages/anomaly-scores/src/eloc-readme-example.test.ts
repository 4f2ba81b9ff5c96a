// The README's ELOC example, run as a test so it cannot rot. Keep the two in sync.
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { type DetectorModel, elocScore, getDetector, marginEntropyLoss } from './index';

it('README ELOC example runs, gives the documented values and leaks nothing', () => {
  const before = tf.memory().numTensors;
  // ---- README example start ----
  // Training leave-out classifier k: cross-entropy on its kept classes plus the margin entropy hinge.
  const idLogits = tf.tensor2d([
    [4, 0, -1],
    [0.5, 3, 0],
  ]); // an ID batch (kept classes) through classifier k
  const heldOutLogits = tf.tensor2d([
    [3, 0, 0],
    [0, 2.5, 0],
  ]); // a batch of its held-out classes, too confident
  const hinge = marginEntropyLoss(idLogits, heldOutLogits); // 0.2 max(0, 0.4 + H(ID) - H(held-out))
  const hingeValue = hinge.dataSync()[0]!; // 0.0495: add the hinge to the cross-entropy, minimise both

  // Scoring: the model has one Euclidean logits output per leave-out classifier.
  const weights = [
    tf.tensor2d([
      [1, -1, 0.5],
      [0, 1, -1],
    ]),
    tf.tensor2d([
      [-1, 0.5, 1],
      [1, 1, -0.5],
    ]),
  ];
  const model: DetectorModel = {
    outputs: [
      { index: 0, role: 'logits', space: 'euclidean' },
      { index: 1, role: 'logits', space: 'euclidean' },
    ],
    apply: (x) => weights.map((w) => tf.matMul(x as tf.Tensor2D, w)),
  };
  const x = tf.tensor2d([
    [3, 0],
    [0.1, 0.1],
  ]);
  // -sum_k [max p_k - H(p_k)] at T = 1000 on x + 0.002 sign(grad S(x)): higher = more anomalous.
  const eloc = getDetector('eloc', { epsilon: 0.002 }).score(model, { x });
  const ranked = getDetector('eloc', { output: 'rank' }).score(model, { x }); // same order, minus a constant
  const outputs = model.apply!(x);
  const unperturbed = elocScore(outputs, { temperature: 1 }); // scores given logits, no input step
  console.info(eloc, ranked, unperturbed); // the confident first sample scores lower in all three
  tf.dispose([idLogits, heldOutLogits, hinge, ...weights, x, ...outputs]);
  // ---- README example end ----
  expect(hingeValue).toBeCloseTo(0.049507, 5);
  for (const scores of [eloc, ranked, unperturbed]) expect(scores[0]!).toBeLessThan(scores[1]!);
  expect(eloc[0]!).toBeCloseTo(-2 * (1 / 3 - Math.log(3)), 2);
  expect(tf.memory().numTensors).toBe(before);
});
