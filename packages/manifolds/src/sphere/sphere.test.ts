import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import { ManifoldError } from '../errors';
import { cosineLogits } from './cosine-logits';
import { Sphere } from './sphere';

// ---- float64 references in plain JS ---------------------------------------------------------
type Vec = number[];
const dot = (a: Vec, b: Vec) => a.reduce((s, ai, i) => s + ai * b[i]!, 0);
const norm = (a: Vec) => Math.sqrt(dot(a, a));
const scale = (a: Vec, s: number) => a.map((v) => v * s);
const add = (a: Vec, b: Vec) => a.map((v, i) => v + b[i]!);
const sub = (a: Vec, b: Vec) => a.map((v, i) => v - b[i]!);
const radiusOf = (k: number) => 1 / Math.sqrt(k);
const project64 = (x: Vec, k: number) => scale(x, 1 / (Math.sqrt(k) * norm(x)));
/** Closed form: R arccos(<x, y> / (|x| |y|)) (independent of the implementation's atan2 form). */
const arccosDist64 = (x: Vec, y: Vec, k: number) => radiusOf(k) * Math.acos(Math.min(1, Math.max(-1, dot(x, y) / (norm(x) * norm(y)))));
/** The implementation's formula in float64, for gradient checks off the sphere. */
const atanDist64 = (x: Vec, y: Vec, k: number) => radiusOf(k) * 2 * Math.atan2(norm(sub(x, y)), norm(add(x, y)));
const proju64 = (x: Vec, u: Vec, k: number) => sub(u, scale(x, k * dot(x, u)));
const expmap64 = (x: Vec, u: Vec, k: number) => {
  const n = norm(u);
  if (n === 0) return project64(x, k);
  const r = radiusOf(k);
  return project64(add(scale(x, Math.cos(n / r)), scale(u, (r * Math.sin(n / r)) / n)), k);
};
/** The implementation's formula: tangent part of y - x, times t / sin(t) (t the angle, floored at 1e-4). */
const logmap64 = (x: Vec, y: Vec, k: number) => {
  const angle = Math.max(atanDist64(x, y, k) / radiusOf(k), 1e-4);
  return scale(proju64(x, sub(y, x), k), angle / Math.sin(angle));
};
const transp64 = (x: Vec, y: Vec, v: Vec, k: number) => sub(v, scale(add(x, y), dot(y, v) / (1 / k + dot(x, y))));

// ---- helpers ---------------------------------------------------------------------------------
const f32 = (a: Vec) => a.map(Math.fround);
const row = (a: Vec) => tf.tensor2d([a]);
const read = (t: tf.Tensor): Vec => {
  const values = Array.from(t.dataSync());
  t.dispose();
  return values;
};
const maxAbs = (a: Vec) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxAbsDiff = (a: Vec, b: Vec) => maxAbs(sub(a, b));

/** Run `fn` on the sphere class and read back one row. */
const op = (fn: () => tf.Tensor): Vec => read(tf.tidy(fn));

const RUNS = { numRuns: 200 };
const dimArb = fc.integer({ min: 1, max: 64 });
const kArb = fc.double({ min: 0.05, max: 4, noNaN: true });
const vec = (dim: number) =>
  fc
    .array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: dim, maxLength: dim })
    .filter((a) => norm(a) > 0.05)
    .map(f32);
/** A curvature, a dim and three raw (non-zero) vectors of that dim. */
const caseArb = fc
  .tuple(kArb, dimArb)
  .chain(([k, dim]) => fc.record({ k: fc.constant(k), dim: fc.constant(dim), a: vec(dim), b: vec(dim), c: vec(dim) }));

/** Points on the sphere, rounded to float32 as the tensors hold them. */
const onSphere = (a: Vec, k: number) => f32(project64(a, k));
/** A tangent at x of length `fraction` * pi R (below the cut locus). */
const tangentAt = (x: Vec, raw: Vec, k: number, fraction: number) => {
  const t = proju64(x, raw, k);
  const n = norm(t);
  return n < 1e-6 ? scale(t, 0) : f32(scale(t, (fraction * Math.PI * radiusOf(k)) / n));
};

describe('Sphere: projection', () => {
  test.prop([caseArb, fc.integer({ min: -20, max: 20 })], RUNS)(
    'is on the sphere, matches x / (sqrt(k)|x|) and is idempotent, at any scale of x',
    ({ k, a }, exponent) => {
      const sphere = new Sphere(k);
      const x = f32(scale(a, 10 ** exponent));
      const p = op(() => sphere.project(row(x)));
      const r = radiusOf(k);
      expect(Math.abs(norm(p) - r)).toBeLessThanOrEqual(1e-6 * r);
      expect(maxAbsDiff(p, project64(x, k))).toBeLessThanOrEqual(1e-6 * r);
      const pp = op(() => sphere.project(row(p)));
      expect(maxAbsDiff(pp, p)).toBeLessThanOrEqual(1e-6 * r);
      expect(sphere.checkPointOnManifold(tf.tidy(() => row(p))).ok).toBe(true);
    },
  );

  it('sends a zero row to the pole R e_1 and keeps other rows', () => {
    const sphere = new Sphere(4);
    const p = tf.tidy(() =>
      sphere
        .project(
          tf.tensor2d([
            [0, 0, 0],
            [3, 0, 4],
          ]),
        )
        .arraySync(),
    ) as number[][];
    expect(p[0]).toEqual([0.5, 0, 0]);
    expect(p[1]![0]).toBeCloseTo(0.3, 6);
    expect(p[1]![2]).toBeCloseTo(0.4, 6);
  });
});

describe('Sphere: distance', () => {
  test.prop([caseArb], RUNS)('matches R arccos(<x,y>/R^2), symmetric, zero on the diagonal, triangle inequality', ({ k, a, b, c }) => {
    const sphere = new Sphere(k);
    const r = radiusOf(k);
    const [x, y, z] = [onSphere(a, k), onSphere(b, k), onSphere(c, k)];
    const d = (p: Vec, q: Vec) => op(() => sphere.dist(row(p), row(q)))[0]!;
    const dxy = d(x, y);
    expect(Math.abs(dxy - arccosDist64(x, y, k))).toBeLessThanOrEqual(2e-6 * r + 1e-5 * dxy);
    expect(d(y, x)).toBe(dxy);
    expect(d(x, x)).toBeLessThanOrEqual(1e-6 * r);
    expect(dxy).toBeGreaterThanOrEqual(0);
    expect(d(x, z)).toBeLessThanOrEqual(dxy + d(y, z) + 1e-5 * r);
  });

  it('is accurate for tiny and near-antipodal angles (where arccos loses all digits in float32)', () => {
    for (const k of [1, 0.25, 3]) {
      const r = radiusOf(k);
      const sphere = new Sphere(k);
      for (const angle of [1e-6, 1e-4, 0.5, Math.PI / 2, Math.PI - 1e-3]) {
        const x = [r, 0, 0];
        const y = [r * Math.cos(angle), r * Math.sin(angle), 0];
        const d = op(() => sphere.dist(row(x), row(y)))[0]!;
        expect(Math.abs(d - r * angle) / (r * angle)).toBeLessThan(1e-5);
      }
      const antipodal = op(() => sphere.dist(row([0, r]), row([0, -r])))[0]!;
      expect(antipodal).toBeCloseTo(Math.PI * r, 5);
    }
  });

  it('returns [batch] and treats rows independently', () => {
    const sphere = new Sphere(1);
    const d = tf.tidy(() =>
      sphere.dist(
        tf.tensor2d([
          [1, 0],
          [0, 1],
          [1, 0],
        ]),
        tf.tensor2d([
          [0, 1],
          [0, 1],
          [-1, 0],
        ]),
      ),
    );
    expect(d.shape).toEqual([3]);
    const values = read(d);
    expect(values[0]).toBeCloseTo(Math.PI / 2, 6);
    expect(values[1]).toBeCloseTo(0, 6);
    expect(values[2]).toBeCloseTo(Math.PI, 6);
  });
});

describe('Sphere: maps and transport', () => {
  test.prop([caseArb, fc.double({ min: 0, max: 0.9, noNaN: true })], RUNS)(
    'expmap matches the closed form, stays on the sphere, dist(x, exp_x u) = |u|, logmap inverts it',
    ({ k, a, b }, fraction) => {
      const sphere = new Sphere(k);
      const r = radiusOf(k);
      const x = onSphere(a, k);
      const u = tangentAt(x, b, k, fraction);
      const y = op(() => sphere.expmap(row(x), row(u)));
      expect(maxAbsDiff(y, expmap64(x, u, k))).toBeLessThanOrEqual(1e-5 * r);
      expect(Math.abs(norm(y) - r)).toBeLessThanOrEqual(1e-6 * r);
      expect(Math.abs(op(() => sphere.dist(row(x), row(y)))[0]! - norm(u))).toBeLessThanOrEqual(1e-5 * r);
      const back = op(() => sphere.logmap(row(x), row(y)));
      expect(maxAbsDiff(back, u)).toBeLessThanOrEqual(1e-4 * r);
    },
  );

  test.prop([caseArb], RUNS)('logmap matches the closed form and expmap(x, logmap(x, y)) = y', ({ k, a, b }) => {
    const sphere = new Sphere(k);
    const r = radiusOf(k);
    const x = onSphere(a, k);
    const y = onSphere(b, k);
    fc.pre(arccosDist64(x, y, k) < 0.9 * Math.PI * r);
    const u = op(() => sphere.logmap(row(x), row(y)));
    expect(maxAbsDiff(u, logmap64(x, y, k))).toBeLessThanOrEqual(1e-5 * r);
    expect(Math.abs(dot(u, x))).toBeLessThanOrEqual(1e-5 * r * r);
    const y2 = op(() => sphere.expmap(row(x), row(u)));
    expect(maxAbsDiff(y2, y)).toBeLessThanOrEqual(2e-5 * r);
    expect(maxAbs(op(() => sphere.logmap(row(x), row(x))))).toBeLessThanOrEqual(1e-6 * r);
  });

  test.prop([caseArb, vec(64), vec(64)], RUNS)(
    'parallel transport keeps vectors tangent and preserves inner products',
    ({ k, dim, a, b, c }, rawU, rawV) => {
      const sphere = new Sphere(k);
      const r = radiusOf(k);
      const x = onSphere(a, k);
      const y = onSphere(b, k);
      fc.pre(arccosDist64(x, y, k) < 0.9 * Math.PI * r);
      const u = f32(proju64(x, rawU.slice(0, dim), k));
      const v = f32(proju64(x, add(rawV.slice(0, dim), c), k));
      const pu = op(() => sphere.transp(row(x), row(y), row(u)));
      const pv = op(() => sphere.transp(row(x), row(y), row(v)));
      expect(maxAbsDiff(pu, transp64(x, y, u, k))).toBeLessThanOrEqual(1e-5 * (1 + maxAbs(u)));
      const scaleUV = (1 + norm(u)) * (1 + norm(v));
      expect(Math.abs(dot(pu, pv) - dot(u, v))).toBeLessThanOrEqual(1e-5 * scaleUV);
      expect(Math.abs(dot(pu, y))).toBeLessThanOrEqual(1e-5 * r * (1 + norm(u)));
      const inner = op(() => sphere.inner(row(y), row(pu), row(pv)))[0]!;
      expect(Math.abs(inner - dot(pu, pv))).toBeLessThanOrEqual(1e-5 * scaleUV);
    },
  );

  test.prop([caseArb], RUNS)('egrad2rgrad is the tangent projection; retraction lands on the sphere', ({ k, a, b }) => {
    const sphere = new Sphere(k);
    const r = radiusOf(k);
    const x = onSphere(a, k);
    const g = op(() => sphere.egrad2rgrad(row(x), row(b)));
    expect(maxAbsDiff(g, proju64(x, b, k))).toBeLessThanOrEqual(1e-5 * (1 + maxAbs(b)));
    expect(Math.abs(dot(g, x))).toBeLessThanOrEqual(1e-5 * r * (1 + norm(b)));
    const retracted = op(() => sphere.retract(row(x), row(g)));
    expect(maxAbsDiff(retracted, project64(add(x, g), k))).toBeLessThanOrEqual(1e-5 * r);
  });
});

// ---- gradients against float64 central differences -----------------------------------------
const CENTRAL_STEP = 1e-6;

/** Gradient of sum(w * f(inputs)) with respect to inputs[argIndex], by central differences in float64. */
function numericGradient(f: (inputs: Vec[]) => Vec, inputs: Vec[], weights: Vec, argIndex: number): Vec {
  const x = inputs[argIndex]!;
  return x.map((_, j) => {
    const shifted = (delta: number) => {
      const copy = inputs.map((v) => v.slice());
      copy[argIndex]![j]! += delta;
      return dot(weights, f(copy));
    };
    return (shifted(CENTRAL_STEP) - shifted(-CENTRAL_STEP)) / (2 * CENTRAL_STEP);
  });
}

describe('Sphere: gradients match float64 central differences', () => {
  const gradCase = caseArb.chain((c) =>
    fc.record({ c: fc.constant(c), w: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: c.dim, maxLength: c.dim }) }),
  );

  // One objective mixes every op with its own random weights, so a single backward pass (and one
  // float64 central-difference sweep) checks all gradients of a run at once.
  test.prop([gradCase], RUNS)('project, dist, expmap, logmap, transp (all arguments)', ({ c: { k, a, b, c }, w }) => {
    const sphere = new Sphere(k);
    const r = radiusOf(k);
    const x = onSphere(a, k);
    const y = onSphere(b, k);
    const angle = arccosDist64(x, y, k) / r;
    fc.pre(angle > 0.05 && angle < 0.9 * Math.PI);
    const u = tangentAt(x, c, k, 0.3);
    const wr = w.slice().reverse();
    const wSum = w.reduce((s, v) => s + v, 0.5);
    const objective32 = (p: tf.Tensor, q: tf.Tensor, s: tf.Tensor, t: tf.Tensor) => {
      const terms = [
        tf.mul(sphere.project(p), tf.tensor1d(w)),
        tf.mul(sphere.dist(q, s), wSum),
        tf.mul(sphere.expmap(q, t), tf.tensor1d(wr)),
        tf.mul(sphere.logmap(q, s), tf.tensor1d(w)),
        tf.mul(sphere.transp(q, s, t), tf.tensor1d(wr)),
      ];
      return tf.addN(terms.map((term) => tf.sum(term)));
    };
    const objective64 = ([p, q, s, t]: Vec[]) => [
      dot(project64(p!, k), w) +
        wSum * atanDist64(q!, s!, k) +
        dot(expmap64(q!, t!, k), wr) +
        dot(logmap64(q!, s!, k), w) +
        dot(transp64(q!, s!, t!, k), wr),
    ];
    const inputs = [a, x, y, u];
    const auto = tf.tidy(() => {
      const tensors = inputs.map(row);
      return tf
        .grads(objective32)(tensors)
        .map((g) => Array.from(g.dataSync()));
    });
    inputs.forEach((_, arg) => {
      const numeric = numericGradient(objective64, inputs, [1], arg);
      const label = ['project input', 'x', 'y', 'u'][arg];
      expect(auto[arg]!.every(Number.isFinite), label).toBe(true);
      expect(maxAbsDiff(auto[arg]!, numeric), label).toBeLessThanOrEqual(2e-3 * (1 + maxAbs(numeric)));
    });
  });

  it('are finite at the zero vector, at x = y and at antipodal points', () => {
    const sphere = new Sphere(1);
    const x = [0.6, 0.8, 0];
    const grads = tf.tidy(() => {
      const zero = tf.zeros([1, 3]);
      const px = row(x);
      return [
        tf.grad((t: tf.Tensor) => tf.sum(sphere.project(t)))(zero),
        tf.grad((t: tf.Tensor) => tf.sum(sphere.dist(px, t)))(tf.clone(px)),
        tf.grad((t: tf.Tensor) => tf.sum(sphere.dist(px, t)))(tf.neg(px)),
        tf.grad((t: tf.Tensor) => tf.sum(sphere.expmap(px, t)))(zero),
        tf.grad((t: tf.Tensor) => tf.sum(sphere.logmap(px, t)))(tf.clone(px)),
      ].map((g) => Array.from(g.dataSync()));
    });
    for (const g of grads) expect(g.every(Number.isFinite)).toBe(true);
    // d/du expmap(x, u) and d/dy logmap(x, y) at u = 0, y = x are the tangent projection
    // I - x x^T (the result is reprojected), whose column sums are these.
    for (const g of [grads[3]!, grads[4]!]) {
      expect(maxAbsDiff(g, [0.16, -0.12, 1])).toBeLessThan(1e-5);
    }
  });
});

describe('cosineLogits', () => {
  test.prop([caseArb, fc.integer({ min: 1, max: 5 }), fc.double({ min: 0.5, max: 30, noNaN: true })], RUNS)(
    'equals <x, w_j> for points on the sphere, times scale, within [-scale/k, scale/k]',
    ({ k, a, b, c }, classes, logitScale) => {
      const sphere = new Sphere(k);
      const columns = [b, c, add(b, c), sub(b, scale(c, 2)), scale(b, -3)].slice(0, classes).filter((v) => norm(v) > 1e-3);
      const wRows = columns[0]!.map((_, i) => columns.map((col) => col[i]!));
      const logits = op(() => cosineLogits(sphere, row(a), tf.tensor2d(wRows), { scale: logitScale }));
      const expected = columns.map((col) => logitScale * dot(project64(a, k), project64(col, k)));
      expect(maxAbsDiff(logits, expected)).toBeLessThanOrEqual((1e-5 * logitScale) / k);
      for (const l of logits) expect(Math.abs(l)).toBeLessThanOrEqual((logitScale / k) * (1 + 1e-6));
    },
  );

  it('rejects mismatched shapes with a ManifoldError that names them', () => {
    const sphere = new Sphere(1);
    const error = (() => {
      try {
        tf.tidy(() => cosineLogits(sphere, tf.zeros([2, 3]), tf.zeros([4, 5])));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(ManifoldError.isInstance(error)).toBe(true);
    expect(String((error as Error).message)).toContain('[2, 3]');
  });
});

describe('Sphere: checks, errors, memory', () => {
  it('rejects bad curvature and mismatched shapes', () => {
    for (const k of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new Sphere(k)).toThrow(ManifoldError);
    }
    const sphere = new Sphere(1);
    expect(() => tf.tidy(() => sphere.dist(tf.zeros([2, 3]), tf.zeros([2, 4])))).toThrow(/\[2, 3\] vs \[2, 4\]/);
    expect(() => tf.tidy(() => sphere.project(tf.scalar(1)))).toThrow(ManifoldError);
  });

  it('checkPointOnManifold explains failures; assertOnManifold throws them', () => {
    const sphere = new Sphere(4);
    const good = tf.tensor2d([
      [0.5, 0],
      [0, -0.5],
    ]);
    const off = tf.tensor2d([
      [0.5, 0],
      [0, 0.6],
    ]);
    const bad = tf.tensor2d([[Number.NaN, 0]]);
    expect(sphere.checkPointOnManifold(good)).toEqual({ ok: true });
    const offCheck = sphere.checkPointOnManifold(off);
    expect(offCheck.ok).toBe(false);
    expect(offCheck.reason).toMatch(/row 1 has norm 0\.6/);
    expect(sphere.checkPointOnManifold(bad).reason).toMatch(/non-finite/);
    expect(() => sphere.assertOnManifold(off)).toThrow(/project/);
    tf.dispose([good, off, bad]);
  });

  it('does not leak tensors across repeated calls', () => {
    const sphere = new Sphere(2);
    const x = sphere.project(tf.randomNormal([8, 16], 0, 1, 'float32', 1));
    const y = sphere.project(tf.randomNormal([8, 16], 0, 1, 'float32', 2));
    const u = sphere.proju(x, tf.randomNormal([8, 16], 0, 1, 'float32', 3));
    const runAll = () => {
      const outputs = [
        sphere.project(x),
        sphere.dist(x, y),
        sphere.expmap(x, u),
        sphere.retract(x, u),
        sphere.logmap(x, y),
        sphere.transp(x, y, u),
        sphere.inner(x, u, u),
        sphere.egrad2rgrad(x, u),
        tf.tidy(() => cosineLogits(sphere, x, tf.transpose(y))),
      ];
      sphere.checkPointOnManifold(x);
      tf.dispose(outputs);
    };
    runAll();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i += 1) runAll();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, u]);
  });
});
