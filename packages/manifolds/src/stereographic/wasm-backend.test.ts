// A few ops on the wasm backend (single-threaded SIMD in Node), against the float64 reference and
// against the cpu backend. In Node the backend loads its .wasm binary from node_modules itself.
import '@tensorflow/tfjs-backend-wasm';

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';

import * as ref from './f64-reference';
import * as m from './math';
import { Stereographic } from './stereographic';
import { expectRowsClose, expectScalarsClose, makeRows, rowsOf } from './test-support';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

const x = makeRows(1, 4, 32, -1, [0.6]);
const y = makeRows(2, 4, 32, -1, [0.4]);
const tiny = makeRows(3, 2, 8, 0, [1e-7 / 1.5]);

function onBackend<T>(backend: string, f: () => T): T {
  const previous = tf.getBackend();
  void tf.setBackend(backend);
  try {
    const start = tf.memory().numTensors;
    let out: T | undefined;
    tf.tidy(() => {
      out = f();
    });
    expect(tf.memory().numTensors).toBe(start);
    return out as T;
  } finally {
    void tf.setBackend(previous);
  }
}

it('runs on wasm', () => {
  expect(tf.getBackend()).toBe('wasm');
});

for (const k of [-1, 1e-7, 0.5]) {
  it(`k = ${k}: mobiusAdd, expmap0, logmap0, mobiusMatvec, dist, dist0 match float64 and the cpu backend`, () => {
    const kk = Math.fround(k);
    const w = Array.from({ length: 32 }, (_, i) => [Math.sin(i) / 6, Math.cos(i) / 6]);
    const compute = () => ({
      add: rowsOf(m.mobiusAdd(tf.tensor2d(x), tf.tensor2d(y), k)),
      exp0: rowsOf(m.expmap0(tf.tensor2d(y), k)),
      log0: rowsOf(m.logmap0(tf.tensor2d(x), k)),
      matvec: rowsOf(m.mobiusMatvec(tf.tensor2d(x), tf.tensor2d(w), k)),
      dist: Array.from(m.dist(tf.tensor2d(x), tf.tensor2d(y), k).dataSync()),
      dist0Tiny: Array.from(m.dist0(tf.tensor2d(tiny), k).dataSync()),
    });
    const wasm = onBackend('wasm', compute);
    const cpu = onBackend('cpu', compute);
    expectRowsClose(
      wasm.add,
      x.map((a, i) => ref.mobiusAdd(a, y[i]!, kk)),
      1e-5,
      1,
      'wasm mobiusAdd',
    );
    expectRowsClose(
      wasm.exp0,
      y.map((a) => ref.expmap0(a, kk)),
      1e-5,
      0,
      'wasm expmap0',
    );
    expectRowsClose(
      wasm.log0,
      x.map((a) => ref.logmap0(a, kk)),
      1e-5,
      0,
      'wasm logmap0',
    );
    expectRowsClose(
      wasm.matvec,
      x.map((a) =>
        ref.mobiusMatvec(
          a,
          w.map((r) => r.map(Math.fround)),
          kk,
        ),
      ),
      1e-5,
      0,
      'wasm matvec',
    );
    expectScalarsClose(
      wasm.dist,
      x.map((a, i) => ref.dist(a, y[i]!, kk)),
      1e-5,
      0,
      'wasm dist',
    );
    expectScalarsClose(
      wasm.dist0Tiny,
      tiny.map((a) => ref.dist0(a, kk)),
      1e-6,
      0,
      'wasm dist0 tiny',
    );
    expectRowsClose(wasm.add, cpu.add, 1e-6, 1, 'wasm vs cpu');
    expectScalarsClose(wasm.dist, cpu.dist, 1e-6, 0, 'wasm vs cpu dist');
  });
}

it('gradients (including with respect to a learnable k at 0) are finite on wasm and agree with cpu', () => {
  const grads = () => {
    const kv = tf.variable(tf.scalar(0));
    const ball = new Stereographic(kv);
    const xt = tf.tensor2d([
      [0.3, -0.2, 0.1],
      [0, 0, 0],
    ]);
    const yt = tf.tensor2d([
      [-0.1, 0.4, 0.2],
      [0.2, 0.1, 0],
    ]);
    const { grads: g } = tf.variableGrads(() => tf.sum(ball.dist(xt, yt)) as tf.Scalar, [kv]);
    const dx = tf.grad((a: tf.Tensor) => tf.sum(ball.dist0(ball.mobiusAdd(a, yt))))(xt);
    const out = [g[kv.name]!.dataSync()[0]!, ...Array.from(dx.dataSync())];
    kv.dispose();
    return out;
  };
  const wasm = onBackend('wasm', grads);
  const cpu = onBackend('cpu', grads);
  expect(wasm.every(Number.isFinite)).toBe(true);
  expectScalarsClose(wasm, cpu, 1e-5, 1e-7, 'wasm vs cpu gradients');
});

it('no tensor leaks on wasm', () => {
  const ball = new Stereographic(-1);
  const xt = tf.tensor2d(x);
  const yt = tf.tensor2d(y);
  const once = () => tf.dispose([ball.mobiusAdd(xt, yt), ball.dist(xt, yt), ball.expmap0(yt), ball.logmap0(xt)]);
  once();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i += 1) once();
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([xt, yt]);
});
