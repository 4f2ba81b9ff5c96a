// The fused Moebius addition, distance and exponential map at 0 (the kernels behind
// Stereographic's mobiusAdd, dist and expmap0 on the cpu and wasm backends) against float64 closed
// forms, against the tensor formulas, across row blocks and SIMD tails, and for leaks.
import '@tensorflow/tfjs-backend-wasm';

import { test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BALL_EPS } from '../stereographic/constants';
import * as ref from '../stereographic/f64-reference';
import * as m from '../stereographic/math';
import { Stereographic } from '../stereographic/stereographic';
import {
  arbCase,
  type Case,
  caseRows,
  expectRowsClose,
  expectScalarsClose,
  f32,
  makeRows,
  maxNorm,
  RUNS,
  rowsOf,
  toTensor,
} from '../stereographic/test-support';
import { FUSED_DIST, FUSED_EXPMAP0, FUSED_MOBIUS_ADD } from './fused-ops';

const RTOL = 1e-5;

/** Kernel names one call of `f` runs (tf.profile), its result disposed. */
async function kernelsOf(f: () => tf.Tensor): Promise<string[]> {
  const info = await tf.profile(() => f());
  tf.dispose(info.result as tf.Tensor);
  return info.kernelNames;
}

/** Data ids alive on the wasm backend: the kernels' scratch lives there and must be freed. */
function wasmDataIds(): number {
  return (tf.backend() as unknown as { dataIdMap: { numDataIds(): number } }).dataIdMap.numDataIds();
}

function refMobiusAdd(x: ref.Vec[], y: ref.Vec[], k: number): ref.Vec[] {
  return x.map((xi, i) => ref.project(ref.mobiusAdd(xi, y[i]!, k), k, BALL_EPS));
}

function refExpmap0(u: ref.Vec[], k: number): ref.Vec[] {
  return u.map((ui) => ref.project(ref.expmap0(ui, k), k, BALL_EPS));
}

describe.each(['cpu', 'wasm'])('fused kernels on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
    await tf.ready();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  const params = { numRuns: RUNS };
  const run = (f: () => tf.Tensor): ref.Vec[] => tf.tidy(() => rowsOf(f()));
  const scalars = (f: () => tf.Tensor): number[] => tf.tidy(() => Array.from(f().dataSync()));

  test.prop([arbCase(0.7)], params)('mobiusAdd, dist and expmap0 match the float64 closed forms', (c: Case) => {
    const [x, y] = [caseRows(c, 0), caseRows(c, 1)];
    const kk = f32(c.k);
    const manifold = new Stereographic(c.k);
    expectRowsClose(
      run(() => manifold.mobiusAdd(toTensor(x), toTensor(y))),
      refMobiusAdd(x, y, kk),
      RTOL,
      maxNorm(x, y),
      'mobiusAdd',
    );
    expectScalarsClose(
      scalars(() => manifold.dist(toTensor(x), toTensor(y))),
      x.map((xi, i) => ref.dist(xi, y[i]!, kk)),
      RTOL,
      1e-12,
      'dist',
    );
    expectRowsClose(
      run(() => manifold.expmap0(toTensor(y))),
      refExpmap0(y, kk),
      RTOL,
      0,
      'expmap0',
    );
  });

  test.prop([arbCase(0.999)], params)(
    'near the boundary the fused values stay finite, on the manifold, and agree with the tensor formulas',
    (c: Case) => {
      const [x, y] = [caseRows(c, 0), caseRows(c, 1)];
      const manifold = new Stereographic(c.k);
      const sum = tf.tidy(() => manifold.mobiusAdd(toTensor(x), toTensor(y)));
      const exp = tf.tidy(() => manifold.expmap0(toTensor(x)));
      try {
        for (const t of [sum, exp]) {
          expect(Array.from(t.dataSync()).every(Number.isFinite)).toBe(true);
          expect(manifold.checkPointOnManifold(t).ok).toBe(true);
        }
        const formulaSum = run(() => m.project(m.mobiusAdd(toTensor(x), toTensor(y), c.k), c.k));
        expectRowsClose(rowsOf(sum), formulaSum, 1e-4, maxNorm(x, y), 'mobiusAdd vs formula');
        expectRowsClose(
          rowsOf(exp),
          run(() => m.expmap0Projected(toTensor(x), c.k)),
          1e-4,
          0,
          'expmap0 vs formula',
        );
        const d = scalars(() => manifold.dist(toTensor(x), toTensor(y)));
        expect(d.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
        expectScalarsClose(
          d,
          scalars(() => m.dist(toTensor(x), toTensor(y), c.k)),
          1e-4,
          1e-6,
          'dist vs formula',
        );
      } finally {
        tf.dispose([sum, exp]);
      }
    },
  );

  it('runs one fused kernel per call, and the tensor formulas while a gradient tape records', async () => {
    const ball = new Stereographic(-1);
    const x = toTensor(makeRows(5, 6, 8, -1, [0.3, 0.8]));
    const y = toTensor(makeRows(6, 6, 8, -1, [0.5]));
    expect(await kernelsOf(() => ball.mobiusAdd(x, y))).toEqual([FUSED_MOBIUS_ADD]);
    expect(await kernelsOf(() => ball.dist(x, y))).toEqual([FUSED_DIST]);
    expect(await kernelsOf(() => ball.expmap0(x))).toEqual([FUSED_EXPMAP0]);
    // Under tf.grad the formulas run, so the gradient is theirs: compare with tf.grad of math.ts.
    const loss = (f: (a: tf.Tensor) => tf.Tensor) => (a: tf.Tensor) => tf.sum(tf.square(f(a)));
    const taped = await kernelsOf(() => tf.grad(loss((a) => ball.dist(a, y)))(x));
    expect(taped).not.toContain(FUSED_DIST);
    const pairs: [(a: tf.Tensor) => tf.Tensor, (a: tf.Tensor) => tf.Tensor][] = [
      [(a) => ball.mobiusAdd(a, y), (a) => m.project(m.mobiusAdd(a, y, -1), -1)],
      [(a) => ball.dist(a, y), (a) => m.dist(a, y, -1)],
      [(a) => ball.expmap0(a), (a) => m.expmap0Projected(a, -1)],
    ];
    for (const [viaClass, formula] of pairs) {
      const g = tf.tidy(() => Array.from(tf.grad(loss(viaClass))(x).dataSync()));
      const want = tf.tidy(() => Array.from(tf.grad(loss(formula))(x).dataSync()));
      expect(g).toEqual(want);
    }
    tf.dispose([x, y]);
  });

  it('covers several row blocks and every SIMD tail length, with a learnable k and at k = 0', () => {
    // 1000 rows of 64 floats span four 256-row blocks (the last partial); dims 1-7 and 61 exercise
    // the scalar tails after the 4-wide vector loop.
    for (const [rows, dim] of [
      [1000, 64],
      [700, 3],
      [300, 7],
      [9, 1],
      [40, 61],
    ] as const) {
      for (const kValue of [-0.7, 0, 1.3]) {
        const k = tf.variable(tf.scalar(kValue));
        const manifold = new Stereographic(k);
        const kk = f32(kValue);
        const x = makeRows(rows + dim, rows, dim, kValue, [0.2, 0.6, 0.9]);
        const y = makeRows(rows * 3 + dim, rows, dim, kValue, [0.5, 0.1]);
        const label = `${rows}x${dim} k=${kValue}`;
        expectRowsClose(
          run(() => manifold.mobiusAdd(toTensor(x), toTensor(y))),
          refMobiusAdd(x, y, kk),
          RTOL,
          maxNorm(x, y),
          `mobiusAdd ${label}`,
        );
        expectScalarsClose(
          scalars(() => manifold.dist(toTensor(x), toTensor(y))),
          x.map((xi, i) => ref.dist(xi, y[i]!, kk)),
          RTOL,
          1e-12,
          `dist ${label}`,
        );
        expectRowsClose(
          run(() => manifold.expmap0(toTensor(x))),
          refExpmap0(x, kk),
          RTOL,
          0,
          `expmap0 ${label}`,
        );
        k.dispose();
      }
    }
  });

  it('takes single [dim] vectors, and leaves broadcasting and zero-size inputs to the tensor formulas', async () => {
    const ball = new Stereographic(-1);
    const [xv, yv] = [makeRows(9, 1, 5, -1, [0.7])[0]!, makeRows(10, 1, 5, -1, [0.6])[0]!];
    const [x1, y1] = [tf.tensor1d(xv), tf.tensor1d(yv)];
    expect(await kernelsOf(() => ball.dist(x1, y1))).toEqual([FUSED_DIST]);
    const d = ball.dist(x1, y1);
    expect(d.shape).toEqual([]);
    expectScalarsClose(Array.from(d.dataSync()), [ref.dist(xv, yv, -1)], RTOL, 1e-12, 'rank-1 dist');
    const s = ball.mobiusAdd(x1, y1);
    expect(s.shape).toEqual([5]);
    expectRowsClose([Array.from(s.dataSync())], refMobiusAdd([xv], [yv], -1), RTOL, 1, 'rank-1 mobiusAdd');
    const rows = toTensor(makeRows(11, 6, 5, -1, [0.4, 0.7]));
    const row = tf.tensor2d([yv]);
    expect(await kernelsOf(() => ball.mobiusAdd(rows, row))).not.toContain(FUSED_MOBIUS_ADD);
    const empty = ball.expmap0(tf.zeros([0, 5]));
    expect(empty.shape).toEqual([0, 5]);
    tf.dispose([x1, y1, d, s, rows, row, empty]);
  });

  it('leaves no tensors (and, on wasm, no heap scratch) behind', () => {
    const ball = new Stereographic(-1);
    const x = toTensor(makeRows(12, 300, 16, -1, [0.5]));
    const y = toTensor(makeRows(13, 300, 16, -1, [0.7]));
    const calls = () => tf.dispose([ball.mobiusAdd(x, y), ball.dist(x, y), ball.expmap0(x)]);
    calls();
    const tensors = tf.memory().numTensors;
    const ids = backend === 'wasm' ? wasmDataIds() : 0;
    for (let i = 0; i < 3; i++) calls();
    expect(tf.memory().numTensors).toBe(tensors);
    if (backend === 'wasm') expect(wasmDataIds()).toBe(ids);
    tf.dispose([x, y]);
  });
});

it('the wasm and cpu kernels agree to float32 roundoff on a large batch', async () => {
  const x = makeRows(21, 2000, 64, -1, [0.3, 0.95]);
  const y = makeRows(22, 2000, 64, -1, [0.6]);
  const ball = new Stereographic(-1);
  const results: number[][] = [];
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    results.push(tf.tidy(() => Array.from(ball.dist(toTensor(x), toTensor(y)).dataSync())));
  }
  await tf.setBackend('cpu');
  expectScalarsClose(results[1]!, results[0]!, 1e-5, 1e-7, 'wasm vs cpu dist');
});
