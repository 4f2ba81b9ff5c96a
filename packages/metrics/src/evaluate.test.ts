import { createUniformStream } from '@curvad/seeded-random';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { auroc } from './auroc';
import { auprIn, auprOut } from './average-precision';
import { detectionError } from './detection-error';
import { evaluate } from './evaluate';
import { fprAtTpr } from './fpr-at-tpr';
import {
  bruteAuroc,
  bruteAveragePrecision,
  bruteDetectionError,
  bruteFprAtTpr,
  isAnomalousLabel,
} from './test-support/brute-force-reference';

/** Inputs with many ties: scores from a handful of values, both classes present, labels as 0/1 or booleans. */
const tiedSamples = fc
  .tuple(
    fc.array(fc.tuple(fc.integer({ min: -3, max: 4 }), fc.boolean()), { minLength: 2, maxLength: 60 }),
    fc.constantFrom(1, 0.25, 1e-3),
    fc.boolean(),
  )
  .filter(([pairs]) => pairs.some(([, y]) => y) && pairs.some(([, y]) => !y))
  .map(([pairs, scale, asBoolean]) => ({
    scores: pairs.map(([s]) => s * scale),
    labels: pairs.map(([, y]) => (asBoolean ? y : y ? 1 : 0)) as Array<number | boolean>,
  }));

describe('hand-checked cases', () => {
  // scikit-learn's documented example: roc_auc_score = 0.75, average_precision_score = 0.8333...
  const scores = [0.1, 0.4, 0.35, 0.8];
  const labels = [0, 0, 1, 1];

  it('four samples: every metric by hand', () => {
    expect(auroc(scores, labels)).toBe(0.75);
    expect(auprOut(scores, labels)).toBeCloseTo(5 / 6, 15);
    // Normal positive on -score: ranks 0.1 (N, P=1, R=1/2), 0.35 (A), 0.4 (N, P=2/3, R=1).
    expect(auprIn(scores, labels)).toBeCloseTo(0.5 * 1 + 0.5 * (2 / 3), 15);
    // Accepting both normals needs t = 0.4, which also accepts the anomaly at 0.35.
    expect(fprAtTpr(scores, labels)).toBe(0.5);
    // At t = 0.1: TPR 1/2, FPR 0 -> 0.25; at t = 0.4: TPR 1, FPR 1/2 -> 0.25.
    expect(detectionError(scores, labels)).toBe(0.25);
    expect(evaluate(scores, labels)).toEqual({
      auroc: 0.75,
      auprIn: auprIn(scores, labels),
      auprOut: auprOut(scores, labels),
      fpr95: 0.5,
      detectionError: 0.25,
    });
  });

  it('all scores tied: chance level everywhere', () => {
    const s = [2, 2, 2, 2, 2];
    const y = [1, 0, 0, 1, 0];
    expect(evaluate(s, y)).toEqual({ auroc: 0.5, auprIn: 3 / 5, auprOut: 2 / 5, fpr95: 1, detectionError: 0.5 });
  });

  it('perfect separation', () => {
    const s = new Float32Array([0.9, 0.1, 0.8, 0.2, 0.3]);
    const y = [true, false, true, false, false];
    expect(evaluate(s, y)).toEqual({ auroc: 1, auprIn: 1, auprOut: 1, fpr95: 0, detectionError: 0 });
  });

  it('reversed separation', () => {
    const s = [0.1, 0.9, 0.2, 0.8, 0.7];
    const y = [1, 0, 1, 0, 0];
    const m = evaluate(s, y);
    expect(m.auroc).toBe(0);
    expect(m.fpr95).toBe(1);
    expect(m.detectionError).toBe(0.5);
    // Anomalies ranked last: precision at full recall is 2/5, reached in steps 1/2 each at 2/4 and 2/5.
    expect(m.auprOut).toBeCloseTo(0.5 * (1 / 4) + 0.5 * (2 / 5), 15);
  });

  it('one tie across the classes counts 1/2', () => {
    expect(auroc([1, 1, 0], [1, 0, 0])).toBe(0.75);
  });

  it('FPR at a TPR level counts "at least", exactly: 19 of 20 normals meet 95%', () => {
    const normals = Array.from({ length: 20 }, (_, i) => i);
    const s = [...normals, 18.5, 19.5];
    const y = [...normals.map(() => 0), 1, 1];
    // t = 18 accepts 19/20 normals and no anomaly (18.5 is above it).
    expect(fprAtTpr(s, y, 0.95)).toBe(0);
    // More than 19/20 needs t = 19, which accepts the anomaly at 18.5 but not the one at 19.5.
    expect(fprAtTpr(s, y, 0.96)).toBe(0.5);
    expect(fprAtTpr(s, y, 1)).toBe(0.5);
  });

  it('accepts -0 and +0 as one score', () => {
    expect(auroc([-0, 0], [1, 0])).toBe(0.5);
  });
});

describe('agreement with the O(n^2) reference (fast-check, many ties)', () => {
  test.prop([tiedSamples], { numRuns: 300 })('auroc, AP in/out, fpr95, detection error', ({ scores, labels }) => {
    const m = evaluate(scores, labels);
    expect(m.auroc).toBe(bruteAuroc(scores, labels));
    const anomalous = labels.map(isAnomalousLabel);
    expect(m.auprOut).toBeCloseTo(bruteAveragePrecision(scores, anomalous), 12);
    expect(m.auprIn).toBeCloseTo(
      bruteAveragePrecision(
        scores.map((s) => -s),
        anomalous.map((a) => !a),
      ),
      12,
    );
    expect(m.fpr95).toBe(bruteFprAtTpr(scores, labels, 0.95));
    expect(m.detectionError).toBeCloseTo(bruteDetectionError(scores, labels), 15);
    expect(auroc(scores, labels)).toBe(m.auroc);
    expect(auprIn(scores, labels)).toBe(m.auprIn);
    expect(auprOut(scores, labels)).toBe(m.auprOut);
    expect(fprAtTpr(scores, labels)).toBe(m.fpr95);
    expect(detectionError(scores, labels)).toBe(m.detectionError);
  });

  test.prop([tiedSamples, fc.double({ min: 0.01, max: 1, noNaN: true })], { numRuns: 200 })(
    'fprAtTpr at any level',
    ({ scores, labels }, level) => {
      expect(fprAtTpr(scores, labels, level)).toBe(bruteFprAtTpr(scores, labels, level));
    },
  );

  it('agrees on 30 000 samples (radix-sort path) with a pair count by value histogram', () => {
    const next = createUniformStream(5);
    const n = 30_000;
    const scores = new Float64Array(n);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = next() < 0.3 ? 1 : 0;
      scores[i] = Math.floor(next() * 40 + labels[i]! * 6) / 8;
    }
    // Pair counting grouped by value: same definition as bruteAuroc, O(n + values^2).
    const byValue = new Map<number, [number, number]>();
    for (let i = 0; i < n; i++) {
      const entry = byValue.get(scores[i]!) ?? [0, 0];
      entry[labels[i]!]!++;
      byValue.set(scores[i]!, entry);
    }
    let twice = 0;
    for (const [va, [, anomalousCount]] of byValue) {
      for (const [vn, [normalCount]] of byValue) {
        if (va > vn) twice += 2 * anomalousCount * normalCount;
        else if (va === vn) twice += anomalousCount * normalCount;
      }
    }
    const p = labels.reduce((s, y) => s + y, 0);
    expect(auroc(scores, labels)).toBe(twice / (2 * p * (n - p)));
    // Scaling by 1 + 2^-40 keeps the order and the ties but leaves float32 values, so the scores take
    // the 64-bit sort instead of the 32-bit one: every metric must come out identical.
    const scaled = scores.map((s) => s * (1 + 2 ** -40));
    expect(scaled.some((s) => Math.fround(s) !== s)).toBe(true);
    expect(evaluate(scaled, labels)).toEqual(evaluate(scores, labels));
  });
});

describe('properties', () => {
  test.prop([tiedSamples], { numRuns: 200 })('AUROC is invariant under strictly increasing maps', ({ scores, labels }) => {
    const a = auroc(scores, labels);
    expect(
      auroc(
        scores.map((s) => Math.atan(s) * 3 - 1),
        labels,
      ),
    ).toBe(a);
    expect(
      auroc(
        scores.map((s) => Math.exp(s)),
        labels,
      ),
    ).toBe(a);
  });

  test.prop([tiedSamples], { numRuns: 200 })('AUROC(s) + AUROC(-s) = 1', ({ scores, labels }) => {
    expect(
      auroc(scores, labels) +
        auroc(
          scores.map((s) => -s),
          labels,
        ),
    ).toBeCloseTo(1, 14);
  });

  test.prop([tiedSamples], { numRuns: 200 })('detection error in [0, 0.5], every metric in [0, 1]', ({ scores, labels }) => {
    const m = evaluate(scores, labels);
    expect(m.detectionError).toBeGreaterThanOrEqual(0);
    expect(m.detectionError).toBeLessThanOrEqual(0.5);
    for (const value of Object.values(m)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
  });

  test.prop([tiedSamples, fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true })], {
    numRuns: 200,
  })('FPR at TPR is in [0, 1] and monotone in the TPR level', ({ scores, labels }, l1, l2) => {
    const [low, high] = l1 <= l2 ? [l1, l2] : [l2, l1];
    const a = fprAtTpr(scores, labels, low);
    const b = fprAtTpr(scores, labels, high);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeLessThanOrEqual(1);
    expect(a).toBeLessThanOrEqual(b);
  });
});
