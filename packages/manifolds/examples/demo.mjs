// A short tour of @curvad/manifolds, run by `pnpm run demo` from the repository root (which builds the
// package first). It uses the built package (dist/), tfjs-core, tfjs-layers (only to register
// gradients: tfjs-core alone has none in Node) and the pure-JS cpu backend.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';

import { arsinh, Euclidean, PoincareBall, Stereographic } from '@curvad/manifolds';

await tf.setBackend('cpu');

const fmt = (v, digits = 6) => (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(digits) : v.toExponential(3));
const row = (cells, widths) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');

// 1. Distances from the origin and between points: Poincare ball (c = 1) vs flat space.
console.log('1. Poincare ball (k = -1) vs Euclidean (k = 0): distances grow without bound near the boundary');
const ball = PoincareBall(1);
const flat = Euclidean();
const radii = [0.1, 0.5, 0.9, 0.99, 0.996];
const points = tf.tensor2d(radii.map((r) => [r, 0]));
const ballD0 = ball.dist0(points).arraySync();
const flatD0 = flat.dist0(points).arraySync();
console.log(row(['|x|', 'ball dist0', 'euclid dist0 (=2|x|)'], [6, 12, 22]));
radii.forEach((r, i) => {
  console.log(row([r, fmt(ballD0[i]), fmt(flatD0[i])], [6, 12, 22]));
});
const a = tf.tensor2d([[0.3, 0.4]]);
const b = tf.tensor2d([[-0.5, 0.2]]);
console.log(`   dist([0.3,0.4], [-0.5,0.2]): ball ${fmt(ball.dist(a, b).arraySync()[0])}, euclid ${fmt(flat.dist(a, b).arraySync()[0])}`);

// 2. expmap / logmap round trip at a point, and the Moebius sum.
console.log('\n2. Round trips on the ball (k = -1)');
const u = tf.tensor2d([[0.7, -1.2]]);
const y = ball.expmap(a, u);
const back = ball.logmap(a, y);
const err = tf.max(tf.abs(tf.sub(back, u))).arraySync();
console.log(
  `   expmap(x, u) = [${y
    .arraySync()[0]
    .map((v) => fmt(v))
    .join(', ')}], |logmap(x, expmap(x, u)) - u|_max = ${fmt(err)}`,
);
console.log(
  `   x (+) y = [${ball
    .mobiusAdd(a, b)
    .arraySync()[0]
    .map((v) => fmt(v))
    .join(', ')}]`,
);
const tiny = tf.tensor2d([[1e-7, 0]]);
console.log(`   dist0 of a point of norm 1e-7: ${fmt(ball.dist0(tiny).arraySync()[0])} (exact: 2e-7)`);
console.log(`   arsinh(-1000) = ${arsinh(tf.tensor1d([-1000])).arraySync()[0]} (Math.asinh: ${Math.asinh(-1000)})`);

// 3. A curvature sweep through k = 0: every quantity is continuous.
console.log('\n3. Curvature sweep through 0 (x = [0.3, 0.4], y = [-0.5, 0.2], u = [0.7, -1.2])');
console.log(row(['k', 'dist(x, y)', 'dist0(x)', '|expmap0(u)|', '(x (+) y)_0'], [8, 12, 12, 13, 12]));
for (const k of [-1, -0.1, -1e-3, -1e-6, 0, 1e-6, 1e-3, 0.1, 1]) {
  const m = new Stereographic(k);
  const d = m.dist(a, b).arraySync()[0];
  const d0 = m.dist0(a).arraySync()[0];
  const e = tf.norm(m.expmap0(u)).arraySync();
  const s = m.mobiusAdd(a, b).arraySync()[0][0];
  console.log(row([k, fmt(d), fmt(d0), fmt(e), fmt(s)], [8, 12, 12, 13, 12]));
}

// 4. Learnable curvature: the gradient of a distance with respect to k, finite at k = 0.
console.log('\n4. Learnable curvature (k a tf.Variable)');
const kVar = tf.variable(tf.scalar(0));
const learnable = new Stereographic(kVar);
const { grads } = tf.variableGrads(() => tf.sum(learnable.dist0(a)), [kVar]);
// d/dk [2 artan_k(r)] at k = 0 is -2 r^3 / 3 (artan_k(r) = r - k r^3 / 3 + ...).
console.log(`   d dist0(x) / dk at k = 0: ${fmt(grads[kVar.name].arraySync())} (series: ${fmt((-2 * 0.5 ** 3) / 3)})`);
