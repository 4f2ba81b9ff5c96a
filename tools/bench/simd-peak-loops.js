// The wasm loops of tools/bench/simd-peak.mjs: f32x4 multiply-adds into independent accumulators,
// written as WAT and compiled by tools/wat-embed's compileWat.
import { compileWat } from '../wat-embed/wat-embed.mjs';

/** Independent accumulators of the SIMD loops (each a dependency chain of multiply-adds). */
export const ACCUMULATORS = [8, 12];
/** Copies of the accumulator updates per loop iteration (fewer branches per multiply-add). */
export const UNROLL = 2;
/** float32 lanes of a v128. */
export const LANES = 4;

/**
 * WAT of `madd<K>(n, m, a) -> f32`: n iterations of UNROLL x K updates acc_k = acc_k * m + a on
 * f32x4 vectors (K independent chains), then the sum of the accumulators' lanes, so nothing is dead.
 * m < 1 and a > 0 keep every accumulator near a / (1 - m): no overflow, no denormals.
 */
export function maddLoopWat(accumulators, relaxed) {
  const acc = Array.from({ length: accumulators }, (_, k) => `$acc${k}`);
  const update = (name) =>
    relaxed
      ? `(local.set ${name} (f32x4.relaxed_madd (local.get ${name}) (local.get $m) (local.get $a)))`
      : `(local.set ${name} (f32x4.add (f32x4.mul (local.get ${name}) (local.get $m)) (local.get $a)))`;
  const sum = acc.slice(1).reduce((expr, name) => `(f32x4.add ${expr} (local.get ${name}))`, `(local.get ${acc[0]})`);
  return `
  (func (export "madd${accumulators}") (param $n i32) (param $ms f32) (param $as f32) (result f32)
    (local $m v128) (local $a v128) ${acc.map((name) => `(local ${name} v128)`).join(' ')}
    (local.set $m (f32x4.splat (local.get $ms)))
    (local.set $a (f32x4.splat (local.get $as)))
    ${acc.map((name, k) => `(local.set ${name} (f32x4.splat (f32.const ${(k + 1) / 100})))`).join('\n    ')}
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        ${Array.from({ length: UNROLL }, () => acc.map(update).join('\n        ')).join('\n        ')}
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.set ${acc[0]} ${sum})
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get ${acc[0]})) (f32x4.extract_lane 1 (local.get ${acc[0]})))
             (f32.add (f32x4.extract_lane 2 (local.get ${acc[0]})) (f32x4.extract_lane 3 (local.get ${acc[0]})))))`;
}

/** The compiled loop module (tools/wat-embed's compiler; relaxed SIMD on request). */
export async function compileLoops(relaxed, accumulators = ACCUMULATORS) {
  const text = `(module${accumulators.map((k) => maddLoopWat(k, relaxed)).join('')})`;
  return compileWat(text, 'simd-peak.wat', { relaxed_simd: relaxed });
}
