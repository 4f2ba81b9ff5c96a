import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type CsiFeatures, csiScore, fitCsi } from './csi-score';
import { AnomalyScoreError } from './errors';
import { expectClose, expectNoLeak, norm64, type Rows, randomRows } from './test-utils';

const cos64 = (a: readonly number[], b: readonly number[]): number => {
  const [na, nb] = [norm64(a), norm64(b)];
  return na === 0 || nb === 0 ? 0 : a.reduce((s, v, i) => s + v * b[i]!, 0) / (na * nb);
};

/** max_m cos(z, train_m) * ||z||, skipping train row `skip`. */
function contrastive64(z: readonly number[], train: Rows, skip = -1): number {
  let best = Number.NEGATIVE_INFINITY;
  train.forEach((t, m) => {
    if (m !== skip) best = Math.max(best, cos64(z, t));
  });
  return best * norm64(z);
}

const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / v.length;

interface Side {
  features: Rows[];
  logits: Rows[];
}

/** The CSI score s_CSI in float64, balancing weights computed by hand from the definition. */
function csi64(
  test: Side,
  train: Side,
  rotations: readonly number[],
  balancing: 'leave-one-out' | 'released' | 'none',
  shiftTerm: boolean,
) {
  const con = rotations.map((_, i) => {
    const f = train.features[i]!;
    if (balancing === 'none') return 1;
    if (balancing === 'released') return 1 / mean(f.map(norm64));
    return 1 / mean(f.map((z, m) => contrastive64(z, f, m)));
  });
  const shi = rotations.map((r, i) => (balancing === 'none' ? 1 : 1 / mean(train.logits[i]!.map((l) => l[r]!))));
  const scores = test.features[0]!.map((_, n) =>
    rotations.reduce((s, r, i) => {
      const c = con[i]! * contrastive64(test.features[i]![n]!, train.features[i]!);
      return s + c + (shiftTerm ? shi[i]! * test.logits[i]![n]![r]! : 0);
    }, 0),
  );
  return { scores, con, shi };
}

/** Random features and rotation logits whose true-rotation logit is positive on average. */
function side(rows: number, dim: number, seed: number, rotations: readonly number[]): Side {
  return {
    features: rotations.map((_, i) => randomRows(rows, dim, seed + 10 * i)),
    logits: rotations.map((r, i) => randomRows(rows, 4, seed + 10 * i + 5).map((l) => l.map((v, c) => (c === r ? v + 2 : v)))),
  };
}

const tensors = (s: Side): CsiFeatures => ({
  features: s.features.map((f) => tf.tensor2d(f)),
  shiftLogits: s.logits.map((l) => tf.tensor2d(l)),
});
const dispose = (...sides: CsiFeatures[]) => {
  for (const s of sides) tf.dispose([...s.features, ...(s.shiftLogits ?? [])]);
};

describe('CSI score (Tack et al. 2020, Sec. 2.3)', () => {
  const all = [0, 1, 2, 3];
  const train = side(40, 6, 1, all);
  const test = side(15, 6, 100, all);

  it.each([
    ['leave-one-out', true],
    ['leave-one-out', false],
    ['released', true],
    ['none', true],
  ] as const)('matches float64 brute force (balancing %s, shift term %s), higher = more anomalous by default', (balancing, shiftTerm) => {
    const [tr, te] = [tensors(train), tensors(test)];
    const want = csi64(test, train, all, balancing, shiftTerm);
    const detector = fitCsi(tr, { balancing, shiftTerm, trainBlockSize: 16 });
    expectClose(detector.contrastiveWeights, want.con, 1e-5);
    if (shiftTerm) expectClose(detector.shiftWeights!, want.shi, 1e-5);
    else expect(detector.shiftWeights).toBeUndefined();
    expectClose(detector.score(te, { output: 'z' }), want.scores, 1e-4, 1e-5);
    expectClose(
      detector.score(te, { batchSize: 4 }),
      want.scores.map((s) => -s),
      1e-4,
      1e-5,
    );
    expectClose(csiScore(te, tr, { balancing, shiftTerm, output: 'z' }), want.scores, 1e-4, 1e-5);
    detector.dispose();
    dispose(tr, te);
  });

  it('ensembles only the rotations asked for, entry i belonging to rotations[i]', () => {
    const rotations = [0, 2];
    const [trainSide, testSide] = [side(20, 5, 3, rotations), side(7, 5, 30, rotations)];
    const [tr, te] = [tensors(trainSide), tensors(testSide)];
    const want = csi64(testSide, trainSide, rotations, 'leave-one-out', true);
    expectClose(csiScore(te, tr, { rotations, output: 'z', trainBlockSize: 3 }), want.scores, 1e-4, 1e-5);
    dispose(tr, te);
  });

  it('excludes each training feature itself from its balancing neighbour', () => {
    // Rotation 0 only; train rows e1, 2 e1 (cosine 1 to each other) and e2. Leave-one-out: e1 -> 2 e1
    // gives 1 * 1, 2 e1 -> e1 gives 1 * 2, e2 -> best cos 0 gives 0: mean 1, lambda 1. Including
    // itself every row scores its own norm: mean (1 + 2 + 1) / 3 = 4/3, lambda 3/4 (the released weight).
    const features = [
      tf.tensor2d([
        [1, 0],
        [2, 0],
        [0, 1],
      ]),
    ];
    const looDetector = fitCsi({ features }, { rotations: [0], shiftTerm: false });
    const releasedDetector = fitCsi({ features }, { rotations: [0], shiftTerm: false, balancing: 'released' });
    expect(looDetector.contrastiveWeights[0]).toBeCloseTo(1, 6);
    expect(releasedDetector.contrastiveWeights[0]).toBeCloseTo(3 / 4, 6);
    // A training sample scored by the fitted detector does meet itself: cos 1 times its norm.
    expectClose(looDetector.score({ features }, { output: 'z' }), [1, 2, 1], 1e-6);
    for (const d of [looDetector, releasedDetector]) d.dispose();
    // Self-exclusion across blocks: the duplicate sits in another block than the row itself.
    const spread = [
      tf.tensor2d([
        [1, 0],
        [0, 1],
        [0, -1],
        [3, 0],
      ]),
    ];
    const blocked = fitCsi({ features: spread }, { rotations: [0], shiftTerm: false, trainBlockSize: 1 });
    // rows: e1 -> 3 e1 (1), e2 -> e1 or 3 e1 (0), -e2 -> 0, 3 e1 -> e1 (1 * 3): mean 1
    expect(blocked.contrastiveWeights[0]).toBeCloseTo(1, 6);
    blocked.dispose();
    tf.dispose([...features, ...spread]);
  });

  it('at equal cosine, a larger feature norm is more normal (lower anomaly score)', () => {
    const features = [tf.tensor2d(randomRows(10, 4, 8))];
    const direction = randomRows(1, 4, 9)[0]!;
    const test = [tf.tensor2d([direction, direction.map((v) => 2 * v), direction.map((v) => 5 * v)])];
    const s = csiScore({ features: test }, { features }, { rotations: [0], shiftTerm: false, balancing: 'none', output: 'z' });
    expect(s[1]! / s[0]!).toBeCloseTo(2, 5);
    expect(s[2]! / s[0]!).toBeCloseTo(5, 5);
    const anomaly = csiScore({ features: test }, { features }, { rotations: [0], shiftTerm: false });
    if (s[0]! > 0) expect(anomaly[2]!).toBeLessThan(anomaly[0]!);
    expect(Array.from(anomaly).every(Number.isFinite)).toBe(true);
    tf.dispose([...features, ...test]);
  });

  it('leaks nothing when fitting and scoring, and releases its tensors on dispose', () => {
    const [tr, te] = [tensors(train), tensors(test)];
    const before = tf.memory().numTensors;
    const detector = fitCsi(tr, { trainBlockSize: 7 });
    expectNoLeak(() => detector.score(te, { batchSize: 4 }));
    expectNoLeak(() => detector.score(te, { asTensor: true }));
    expectNoLeak(() => csiScore(te, tr));
    detector.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => detector.score(te)).toThrow(/disposed/);
    dispose(tr, te);
  });

  it('rejects bad shapes, counts, NaN and options with AnomalyScoreError, and frees its blocks on a failed fit', () => {
    const [tr, te] = [tensors(train), tensors(test)];
    const before = tf.memory().numTensors;
    expect(() => fitCsi({ features: tr.features.slice(0, 3), shiftLogits: tr.shiftLogits })).toThrow(
      /train.features must hold 4 tensors, one per rotation \[0, 1, 2, 3\]/,
    );
    expect(() => fitCsi({ features: tr.features })).toThrow(/shiftLogits is missing.*shiftTerm: false/);
    const short = tf.tensor2d(randomRows(39, 6, 1));
    expect(() => fitCsi({ features: [short, ...tr.features.slice(1)], shiftTerm: false } as CsiFeatures, { shiftTerm: false })).toThrow(
      /features\[1\] \(rotation 1\) has 40 rows but .*features\[0\] has 39/,
    );
    const nan = tf.tensor2d([[Number.NaN, 0, 0, 0, 0, 0]]);
    expect(() => fitCsi({ features: [nan] }, { rotations: [0], shiftTerm: false, balancing: 'none' })).toThrow(/NaN or infinite/);
    expect(() => fitCsi(tr, { rotations: [0, 4] })).toThrow(/rotations holds 4/);
    expect(() => fitCsi(tr, { rotations: [1, 1] })).toThrow(/distinct/);
    expect(() => fitCsi(tr, { balancing: 'on' as never })).toThrow(/balancing must be one of/);
    expect(() => fitCsi(tr, { k: 3 } as never)).toThrow(/unknown option 'k'/);
    const one = tf.tensor2d([[1, 0]]);
    expect(() => fitCsi({ features: [one] }, { rotations: [0], shiftTerm: false })).toThrow(/at least 2/);
    // A shift classifier whose true-rotation logit is negative on average cannot be balanced.
    const wrongLogits = tr.shiftLogits!.map((l) => tf.neg(l));
    expect(() => fitCsi({ features: tr.features, shiftLogits: wrongLogits })).toThrow(/logit of the true rotation 0 .* must be > 0/);
    expect(tf.memory().numTensors).toBe(before + 3 + wrongLogits.length); // the failed fits kept nothing
    const detector = fitCsi(tr);
    const narrow = { features: te.features.map((f) => tf.slice(f, [0, 0], [-1, 5])), shiftLogits: te.shiftLogits };
    expect(() => detector.score(narrow)).toThrow(/5 columns but the detector was fitted on 6/);
    expect(() => detector.score(te, { output: 'rank' } as never)).toThrow(/output must be one of 'anomaly', 'z'/);
    const badLogits = { features: te.features, shiftLogits: te.features };
    expect(() => detector.score(badLogits)).toThrow(/must be \[rows, 4\] rotation logits/);
    expect(() => detector.score(te, { output: 'z' })).not.toThrow();
    expect(AnomalyScoreError.isInstance(catchError(() => fitCsi(tr, { trainBlockSize: 0 })))).toBe(true);
    detector.dispose();
    tf.dispose([short, nan, one, ...wrongLogits, ...narrow.features]);
    dispose(tr, te);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
