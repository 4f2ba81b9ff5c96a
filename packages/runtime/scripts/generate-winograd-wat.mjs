// Generates the Winograd F(2x2, 3x3) and F(4x4, 3x3) transforms of src/wasm/simd/kernels.wat (the
// `wino2_*` and `wino4_*` functions for stride 1, `wino2s_*` and `wino4s_*` for stride 2; everything
// after the marker line) from the transform matrices:
// straight-line SIMD code over 4 channels, one local per matrix entry, zero coefficients skipped.
// The matrices are checked in float64 against a direct correlation before anything is written.
//
//   node scripts/generate-winograd-wat.mjs --write   # rewrite kernels.wat's generated part
//   pnpm --filter @curvad/runtime build:wasm          # then recompile kernels-wasm.ts
//
// src/wasm/simd/winograd-wat.test.ts fails when kernels.wat differs from what this prints.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const L = (n) => `(local.get $${n})`;
const set = (n, v) => `(local.set $${n} ${v})`;
const ind = (s, n) =>
  s
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');
const locals = (names, type) => names.map((n) => `(local $${n} ${type})`).join(' ');
const grid = (p, r, c) => {
  const o = [];
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) o.push(`${p}${i}_${j}`);
  return o;
};
const fmt = (c) => {
  const s = Math.fround(c).toPrecision(9);
  return s;
};
/** sum_k coefs[k] * terms[k] as a wat expression (terms: wat expressions), skipping zeros. */
function combo(coefs, terms) {
  let expr;
  coefs.forEach((c, k) => {
    if (c === 0) return;
    const t = terms[k];
    if (expr === undefined) {
      expr = c === 1 ? t : c === -1 ? `(f32x4.neg ${t})` : `(f32x4.mul (v128.const f32x4 ${fmt(c)} ${fmt(c)} ${fmt(c)} ${fmt(c)}) ${t})`;
    } else if (c === 1) expr = `(f32x4.add ${expr} ${t})`;
    else if (c === -1) expr = `(f32x4.sub ${expr} ${t})`;
    else expr = `(f32x4.add ${expr} (f32x4.mul (v128.const f32x4 ${fmt(c)} ${fmt(c)} ${fmt(c)} ${fmt(c)}) ${t}))`;
  });
  return expr ?? '(v128.const f32x4 0 0 0 0)';
}
/** out = Lm X Rm^T for X (rows x cols of locals named by x(i, j)): returns [names of tmp sets, out expressions]. */
function sandwich(Lm, Rm, x, rows, cols, tmp) {
  // tmp[i][j] = sum_k Lm[i][k] x[k][j]
  const sets = [];
  for (let i = 0; i < Lm.length; i++)
    for (let j = 0; j < cols; j++)
      sets.push(
        set(
          `${tmp}${i}_${j}`,
          combo(
            Lm[i],
            Array.from({ length: rows }, (_, k) => x(k, j)),
          ),
        ),
      );
  const outs = [];
  for (let i = 0; i < Lm.length; i++)
    for (let j = 0; j < Rm.length; j++)
      outs.push(
        combo(
          Rm[j],
          Array.from({ length: cols }, (_, l) => L(`${tmp}${i}_${l}`)),
        ),
      );
  return [sets, outs];
}
const transpose = (M) => M[0].map((_, j) => M.map((r) => r[j]));

function pointers(prefix, rows, cols, img, H, W, chBytes, fallback) {
  const out = [];
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const h = `(i32.add (local.get $h0) (i32.const ${i}))`;
      const w = `(i32.add (local.get $w0) (i32.const ${j}))`;
      out.push(
        set(
          `${prefix}${i}_${j}`,
          `(select
  (i32.add (local.get $${img}) (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $${H})) ${h}) (local.get $${W})) ${w}) (local.get $${chBytes})))
  (local.get $${fallback})
  (i32.and (i32.and (i32.ge_s ${h} (i32.const 0)) (i32.lt_s ${h} (local.get $${H})))
           (i32.and (i32.ge_s ${w} (i32.const 0)) (i32.lt_s ${w} (local.get $${W})))))`,
        ),
      );
    }
  return out.join('\n');
}
function tileLoops(body) {
  return `(local.set $t (i32.const 0))
(local.set $b (local.get $b0))
(block $bDone (loop $bLoop
  (br_if $bDone (i32.ge_s (local.get $b) (i32.add (local.get $b0) (local.get $count))))
  (local.set $th (i32.const 0))
  (block $thDone (loop $thLoop
    (br_if $thDone (i32.ge_s (local.get $th) (local.get $tilesH)))
    (local.set $tw (i32.const 0))
    (block $twDone (loop $twLoop
      (br_if $twDone (i32.ge_s (local.get $tw) (local.get $tilesW)))
${ind(body, 6)}
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (local.set $tw (i32.add (local.get $tw) (i32.const 1)))
      (br $twLoop)))
    (local.set $th (i32.add (local.get $th) (i32.const 1)))
    (br $thLoop)))
  (local.set $b (i32.add (local.get $b) (i32.const 1)))
  (br $bLoop)))`;
}
function streams(values, op, stride = 'E') {
  const out = [];
  values.forEach((v, e) => {
    out.push(op === 'store' ? `(v128.store (local.get $q) ${v})` : set(v, '(v128.load (local.get $q))'));
    if (e < values.length - 1) out.push(`(local.set $q (i32.add (local.get $q) (local.get $${stride})))`);
  });
  return out.join('\n');
}
const tileVars = `(local $t i32) (local $b i32) (local $th i32) (local $tw i32) (local $h0 i32) (local $w0 i32) (local $cb i32) (local $q i32) (local $base i32) (local $chBytes i32)`;
const chunkE = `(local.set $chBytes (i32.shl (local.get $channels) (i32.const 2)))`;
const channelLoop = (inner) => `(local.set $cb (i32.const 0))
(block $cDone (loop $cLoop
  (br_if $cDone (i32.ge_u (local.get $cb) (local.get $chBytes)))
${ind(inner, 2)}
  (local.set $cb (i32.add (local.get $cb) (i32.const 16)))
  (br $cLoop)))`;

/**
 * The transforms of one algorithm: m x m outputs of a 3x3 correlation with the given stride from an
 * a x a input window (a = BT's size: m + 2 for stride 1, 2m + 1 for stride 2), tiles `stride * m`
 * input pixels apart, and a x a points.
 */
export function generate(name, m, BT, G, AT, stride = 1) {
  const a = BT.length;
  const P = a * a;
  const label = stride === 1 ? `F(${m}x${m}, 3x3)` : `stride-${stride} F(${m}x${m}, 3x3)`;
  const step = stride * m;
  const out = [];
  // input: v = BT d BT^T
  {
    const [sets, outs] = sandwich(BT, BT, (k, j) => L(`d${k}_${j}`), a, a, 's');
    const loads = grid('d', a, a).map((n) => set(n, `(v128.load (i32.add (local.get $p${n.slice(1)}) (local.get $cb)))`));
    const body = `(local.set $h0 (i32.sub (i32.mul (local.get $th) (i32.const ${step})) (local.get $top)))
(local.set $w0 (i32.sub (i32.mul (local.get $tw) (i32.const ${step})) (local.get $left)))
${pointers('p', a, a, 'x', 'H', 'W', 'chBytes', 'zero')}
(local.set $base (i32.add (local.get $v) (i32.mul (local.get $t) (local.get $chBytes))))
${channelLoop(`${loads.join('\n')}\n${sets.join('\n')}\n(local.set $q (i32.add (local.get $base) (local.get $cb)))\n${streams(outs, 'store')}`)}`;
    out.push(`  ;; Winograd ${label} input transform of NHWC images [b0, b0 + count) (channels % 4 == 0):
  ;; for every ${m}x${m} output tile t (row-major over images, tile rows, tile columns) and channel c,
  ;; v[e][t][c] = (B^T d B)[e] for the ${a}x${a} input window d at (${step} th - top, ${step} tw - left), zero outside
  ;; the image (pointers to \`zero\`, a buffer of \`channels\` zeros); v is [${P}][tiles][channels],
  ;; its ${P} planes E bytes apart (callers skew E off multiples of 4 KiB: see winograd.ts).
  (func (export "${name}_input")
    (param $x i32) (param $v i32) (param $b0 i32) (param $count i32) (param $H i32) (param $W i32)
    (param $channels i32) (param $tilesH i32) (param $tilesW i32) (param $top i32) (param $left i32) (param $zero i32) (param $E i32)
    ${tileVars}
    ${locals(grid('p', a, a), 'i32')}
    ${locals(grid('d', a, a), 'v128')}
    ${locals(grid('s', a, a), 'v128')}
    ${chunkE}
${ind(tileLoops(body), 4)})
`);
  }
  // output: y = AT mm AT^T (+ bias, relu)
  {
    const M = grid('m', a, a);
    const [sets, outs] = sandwich(AT, AT, (k, j) => L(`m${k}_${j}`), a, a, 'r');
    const ys = grid('y', m, m);
    const body = `(local.set $h0 (i32.mul (local.get $th) (i32.const ${m})))
(local.set $w0 (i32.mul (local.get $tw) (i32.const ${m})))
${pointers('p', m, m, 'y', 'H', 'W', 'chBytes', 'trash')}
(local.set $base (i32.add (local.get $m) (i32.mul (local.get $t) (local.get $chBytes))))
${channelLoop(`(local.set $q (i32.add (local.get $base) (local.get $cb)))
${streams(M, 'load')}
${sets.join('\n')}
${ys.map((n, i) => set(n, outs[i])).join('\n')}
(if (i32.and (local.get $epilogue) (i32.const 1)) (then
  (local.set $bv (v128.load (i32.add (local.get $bias) (local.get $cb))))
${ind(ys.map((n) => set(n, `(f32x4.add ${L(n)} ${L('bv')})`)).join('\n'), 2)}))
(if (i32.and (local.get $epilogue) (i32.const 2)) (then
${ind(ys.map((n) => set(n, `(f32x4.max ${L(n)} (v128.const f32x4 0 0 0 0))`)).join('\n'), 2)}))
${ys.map((n) => `(v128.store (i32.add (local.get $p${n.slice(1)}) (local.get $cb)) ${L(n)})`).join('\n')}`)}`;
    out.push(`  ;; Winograd ${label} output transform: y[b, ${m} th + i, ${m} tw + j, k] = (A^T m A)[i][j] for
  ;; m[e][t][k] ([${P}][tiles][channels], planes E bytes apart, channels % 4 == 0) and the [b0, b0 + count) images of the NHWC
  ;; output y [., H, W, channels]; pixels past H or W go to \`trash\` (a buffer of \`channels\` floats).
  ;; epilogue: bit 0 adds bias[k], bit 1 applies relu.
  (func (export "${name}_output")
    (param $m i32) (param $y i32) (param $b0 i32) (param $count i32) (param $H i32) (param $W i32)
    (param $channels i32) (param $tilesH i32) (param $tilesW i32) (param $trash i32) (param $bias i32) (param $epilogue i32) (param $E i32)
    ${tileVars} (local $bv v128)
    ${locals(grid('p', m, m), 'i32')}
    ${locals(M, 'v128')}
    ${locals(grid('r', m, a), 'v128')}
    ${locals(ys, 'v128')}
    ${chunkE}
${ind(tileLoops(body), 4)})
`);
  }
  // output gradient: dm = A dy A^T  (A = AT^T)
  {
    const A = transpose(AT);
    const [sets, outs] = sandwich(A, A, (k, j) => L(`y${k}_${j}`), m, m, 'r');
    const ys = grid('y', m, m);
    const body = `(local.set $h0 (i32.mul (local.get $th) (i32.const ${m})))
(local.set $w0 (i32.mul (local.get $tw) (i32.const ${m})))
${pointers('p', m, m, 'dy', 'H', 'W', 'chBytes', 'zero')}
(local.set $base (i32.add (local.get $dm) (i32.mul (local.get $t) (local.get $chBytes))))
${channelLoop(`${ys.map((n) => set(n, `(v128.load (i32.add (local.get $p${n.slice(1)}) (local.get $cb)))`)).join('\n')}
${sets.join('\n')}
(local.set $q (i32.add (local.get $base) (local.get $cb)))
${streams(outs, 'store')}`)}`;
    out.push(`  ;; The adjoint of ${name}_output (without epilogue): dm[e][t][k] = (A dy A^T)[e] for the ${m}x${m} tile of
  ;; the NHWC gradient dy [., H, W, channels] at (${m} th, ${m} tw), zero past H or W (\`zero\`: a buffer of
  ;; \`channels\` zeros); dm is [${P}][tiles][channels],
  ;; its planes E bytes apart.
  (func (export "${name}_output_grad")
    (param $dy i32) (param $dm i32) (param $b0 i32) (param $count i32) (param $H i32) (param $W i32)
    (param $channels i32) (param $tilesH i32) (param $tilesW i32) (param $zero i32) (param $E i32)
    ${tileVars}
    ${locals(grid('p', m, m), 'i32')}
    ${locals(ys, 'v128')}
    ${locals(grid('r', a, m), 'v128')}
    ${chunkE}
${ind(tileLoops(body), 4)})
`);
  }
  // input gradient (stride 2 only; stride 1 runs the flipped convolution): dd = B dv B^T, added
  // into dx over the overlapping windows
  if (stride !== 1) {
    const B = transpose(BT);
    const V = grid('v', a, a);
    const [sets, outs] = sandwich(B, B, (k, j) => L(`v${k}_${j}`), a, a, 's');
    const body = `(local.set $h0 (i32.sub (i32.mul (local.get $th) (i32.const ${step})) (local.get $top)))
(local.set $w0 (i32.sub (i32.mul (local.get $tw) (i32.const ${step})) (local.get $left)))
${pointers('p', a, a, 'dx', 'H', 'W', 'chBytes', 'trash')}
(local.set $base (i32.add (local.get $dv) (i32.mul (local.get $t) (local.get $chBytes))))
${channelLoop(`(local.set $q (i32.add (local.get $base) (local.get $cb)))
${streams(V, 'load')}
${sets.join('\n')}
${outs
  .map((o, i) => {
    const at = `(i32.add (local.get $p${V[i].slice(1)}) (local.get $cb))`;
    return `(v128.store ${at} (f32x4.add (v128.load ${at}) ${o}))`;
  })
  .join('\n')}`)}`;
    out.push(`  ;; The adjoint of ${name}_input: adds (B dv B^T) for every tile t's transformed gradient dv[e][t][c]
  ;; ([${P}][tiles][channels], planes E bytes apart, channels % 4 == 0) into the ${a}x${a} window of the NHWC
  ;; gradient dx [., H, W, channels] at (${step} th - top, ${step} tw - left); windows overlap, so dx must start
  ;; zeroed and tiles run in order; pixels outside the image go to \`trash\` (a buffer of \`channels\` floats).
  (func (export "${name}_input_grad")
    (param $dv i32) (param $dx i32) (param $b0 i32) (param $count i32) (param $H i32) (param $W i32)
    (param $channels i32) (param $tilesH i32) (param $tilesW i32) (param $top i32) (param $left i32) (param $trash i32) (param $E i32)
    ${tileVars}
    ${locals(grid('p', a, a), 'i32')}
    ${locals(V, 'v128')}
    ${locals(grid('s', a, a), 'v128')}
    ${chunkE}
${ind(tileLoops(body), 4)})
`);
  }
  // filter: u = G g G^T; filter grad: dg = G^T du G
  for (const [suffix, Lm, rows, cols, doc] of [
    [
      'filter',
      G,
      3,
      3,
      `u[e][i] = (G g G^T)[e] for the filter g [3, 3, n] (n = in x out channels, a multiple of 4, planes srcStride bytes apart); u is [${P}][n], planes dstStride bytes apart`,
    ],
    [
      'filter_grad',
      transpose(G),
      a,
      a,
      `the adjoint of ${name}_filter: dg [3, 3, n] = G^T du G for du [${P}][n] (planes srcStride bytes apart); dg's planes are dstStride bytes apart`,
    ],
  ]) {
    const X = grid('x', rows, cols);
    const [sets, outs] = sandwich(Lm, Lm, (k, j) => L(`x${k}_${j}`), rows, cols, 'h');
    out.push(`  ;; Winograd ${label}: ${doc}.
  (func (export "${name}_${suffix}") (param $src i32) (param $dst i32) (param $n i32) (param $srcStride i32) (param $dstStride i32)
    (local $i i32) (local $q i32) (local $end i32)
    ${locals(X, 'v128')}
    ${locals(grid('h', Lm.length, cols), 'v128')}
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $q (i32.add (local.get $src) (local.get $i)))
${ind(streams(X, 'load', 'srcStride'), 6)}
${ind(sets.join('\n'), 6)}
      (local.set $q (i32.add (local.get $dst) (local.get $i)))
${ind(streams(outs, 'store', 'dstStride'), 6)}
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $loop))))
`);
  }
  return out.join('\n');
}

// Checks, in float64, that the matrices compute a 1-D correlation (the 2-D case is its tensor product).
function check(m, BT, G, AT) {
  const a = m + 2;
  const d = Array.from({ length: a }, () => Math.random() - 0.5);
  const g = [Math.random(), Math.random(), Math.random()];
  const u = G.map((r) => r[0] * g[0] + r[1] * g[1] + r[2] * g[2]);
  const v = BT.map((r) => r.reduce((s, c, k) => s + c * d[k], 0));
  const y = AT.map((r) => r.reduce((s, c, k) => s + c * u[k] * v[k], 0));
  for (let i = 0; i < m; i++) {
    const ref = g[0] * d[i] + g[1] * d[i + 1] + g[2] * d[i + 2];
    if (Math.abs(ref - y[i]) > 1e-12) throw new Error(`F(${m},3) matrices wrong at ${i}: ${y[i]} vs ${ref}`);
  }
}
export const F2 = {
  BT: [
    [1, 0, -1, 0],
    [0, 1, 1, 0],
    [0, -1, 1, 0],
    [0, 1, 0, -1],
  ],
  G: [
    [1, 0, 0],
    [0.5, 0.5, 0.5],
    [0.5, -0.5, 0.5],
    [0, 0, 1],
  ],
  AT: [
    [1, 1, 1, 0],
    [0, 1, -1, -1],
  ],
};
export const F4 = {
  BT: [
    [4, 0, -5, 0, 1, 0],
    [0, -4, -4, 1, 1, 0],
    [0, 4, -4, -1, 1, 0],
    [0, -2, -1, 2, 1, 0],
    [0, 2, -1, -2, 1, 0],
    [0, 4, 0, -5, 0, 1],
  ],
  G: [
    [1 / 4, 0, 0],
    [-1 / 6, -1 / 6, -1 / 6],
    [-1 / 6, 1 / 6, -1 / 6],
    [1 / 24, 1 / 12, 1 / 6],
    [1 / 24, -1 / 12, 1 / 6],
    [0, 0, 1],
  ],
  AT: [
    [1, 1, 1, 1, 1, 0],
    [0, 1, -1, 2, -2, 0],
    [0, 1, 1, 4, 4, 0],
    [0, 1, -1, 8, -8, 1],
  ],
};
check(2, F2.BT, F2.G, F2.AT);
check(4, F4.BT, F4.G, F4.AT);

// Stride 2. y[i] = g0 d[2i] + g1 d[2i+1] + g2 d[2i+2] splits into the even samples, a 2-tap
// correlation with (g0, g2) done by F(m, 2) on m + 1 points, and the odd samples times g1, done
// directly on m points: 2m + 1 points per m outputs where the direct sum takes 3m (Winograd for strided
// convolutions by polyphase decomposition). The 2-D algorithm nests the 1-D one, as for stride 1.
/** F(2, 2) (points 0, 1, infinity) and F(4, 2) (points 0, 1, -1, 1/2, infinity), Toom-Cook. */
const F22 = {
  BT: [
    [-1, 1, 0],
    [0, 1, 0],
    [0, -1, 1],
  ],
  G: [
    [-1, 0],
    [1, 1],
    [0, 1],
  ],
  AT: [
    [1, 1, 0],
    [0, 1, 1],
  ],
};
const F42 = {
  BT: [
    [0.5, -1, -0.5, 1, 0],
    [0, -0.5, 0.5, 1, 0],
    [0, 0.5, -1.5, 1, 0],
    [0, -1, 0, 1, 0],
    [0, 0.5, -1, -0.5, 1],
  ],
  G: [
    [2, 0],
    [1, 1],
    [-1 / 3, 1 / 3],
    [-8 / 3, -4 / 3],
    [0, 1],
  ],
  AT: [
    [1, 1, 1, 1, 0],
    [0, 1, -1, 0.5, 0],
    [0, 1, 1, 0.25, 0],
    [0, 1, -1, 0.125, 1],
  ],
};
/** The stride-2 algorithm's 1-D matrices from F(m, 2)'s: points 0..m on even samples, m+1..2m on odd. */
function stride2(m, F) {
  const a = 2 * m + 1;
  const BT = Array.from({ length: a }, () => Array(a).fill(0));
  const G = Array.from({ length: a }, () => [0, 0, 0]);
  const AT = Array.from({ length: m }, () => Array(a).fill(0));
  for (let j = 0; j <= m; j++) {
    for (let k = 0; k <= m; k++) BT[j][2 * k] = F.BT[j][k];
    G[j][0] = F.G[j][0];
    G[j][2] = F.G[j][1];
    for (let i = 0; i < m; i++) AT[i][j] = F.AT[i][j];
  }
  for (let k = 0; k < m; k++) {
    BT[m + 1 + k][2 * k + 1] = 1;
    G[m + 1 + k][1] = 1;
    AT[k][m + 1 + k] = 1;
  }
  return { BT, G, AT };
}
export const S2 = stride2(2, F22);
export const S4 = stride2(4, F42);
// Checks, in float64, that the matrices compute a 1-D stride-2 correlation.
function checkStride2(m, { BT, G, AT }) {
  const a = 2 * m + 1;
  const d = Array.from({ length: a }, () => Math.random() - 0.5);
  const g = [Math.random(), Math.random(), Math.random()];
  const u = G.map((r) => r[0] * g[0] + r[1] * g[1] + r[2] * g[2]);
  const v = BT.map((r) => r.reduce((s, c, k) => s + c * d[k], 0));
  const y = AT.map((r) => r.reduce((s, c, k) => s + c * u[k] * v[k], 0));
  for (let i = 0; i < m; i++) {
    const ref = g[0] * d[2 * i] + g[1] * d[2 * i + 1] + g[2] * d[2 * i + 2];
    if (Math.abs(ref - y[i]) > 1e-12) throw new Error(`stride-2 F(${m},3) matrices wrong at ${i}: ${y[i]} vs ${ref}`);
  }
}
checkStride2(2, S2);
checkStride2(4, S4);
/** The marker after which kernels.wat holds the generated functions (then the module's closing paren). */
export const MARKER = '  ;; ---- Generated by scripts/generate-winograd-wat.mjs from here on: do not edit by hand. ----';

/** The generated part of kernels.wat. */
export function generatedWat() {
  return `${MARKER}\n${[
    generate('wino2', 2, F2.BT, F2.G, F2.AT),
    generate('wino4', 4, F4.BT, F4.G, F4.AT),
    generate('wino2s', 2, S2.BT, S2.G, S2.AT, 2),
    generate('wino4s', 4, S4.BT, S4.G, S4.AT, 2),
  ].join('\n')})\n`;
}

if (process.argv[2] === '--write') {
  const path = fileURLToPath(new URL('../src/wasm/simd/kernels.wat', import.meta.url));
  const wat = readFileSync(path, 'utf8');
  const at = wat.indexOf(MARKER);
  if (at < 0) throw new Error(`kernels.wat has no marker line "${MARKER.trim()}"`);
  writeFileSync(path, wat.slice(0, at) + generatedWat());
  console.log(`wrote the Winograd transforms into ${path}`);
}
