;; The fused Adam update of @curvad/runtime's CurvadAdamUpdate kernel on wasm, 4 floats at a time
;; with 128-bit SIMD. The module imports tfjs-backend-wasm's memory, so pointers are tensors' byte
;; offsets in that heap. Every operation is a float32 one in the order tfjs-core's
;; AdamOptimizer.applyGradients performs it (see adam-update-loop.ts, the JS version), so the
;; results equal tf.train.adam's bit for bit.
;;
;; Compiled to adam-update-wasm-bytes.ts by (from packages/runtime)
;;   node ../../tools/wat-embed/wat-embed.mjs src/optim/adam-update.wat src/optim/adam-update-wasm-bytes.ts ADAM_UPDATE_WASM_BASE64
;; adam-update-wasm.test.ts recompiles this file and checks that the committed bytes match.
(module
  (import "env" "memory" (memory 1))

  ;; m' = m b1 + g (1 - b1);  v' = v b2 + g^2 (1 - b2);
  ;; x' = (m' / c1) / (sqrt(v' / c2) + eps) * (-lr) + x,  for n floats.
  (func (export "adam_update")
    (param $x i32) (param $m i32) (param $v i32) (param $g i32)
    (param $xOut i32) (param $mOut i32) (param $vOut i32) (param $n i32)
    (param $beta1 f32) (param $oneMinusBeta1 f32) (param $beta2 f32) (param $oneMinusBeta2 f32)
    (param $correction1 f32) (param $correction2 f32) (param $epsilon f32) (param $negativeLr f32)
    (local $off i32) (local $end4 i32) (local $end i32)
    (local $b1 v128) (local $c1m v128) (local $b2 v128) (local $c2m v128)
    (local $k1 v128) (local $k2 v128) (local $eps v128) (local $lr v128)
    (local $gv v128) (local $mv v128) (local $vv v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $c1m (f32x4.splat (local.get $oneMinusBeta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $c2m (f32x4.splat (local.get $oneMinusBeta2)))
    (local.set $k1 (f32x4.splat (local.get $correction1)))
    (local.set $k2 (f32x4.splat (local.get $correction2)))
    (local.set $eps (f32x4.splat (local.get $epsilon)))
    (local.set $lr (f32x4.splat (local.get $negativeLr)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $end) (i32.const -16)))
    ;; Whole vectors: byte offsets 0, 16, ... < end4.
    (block $done4
      (loop $vectors
        (br_if $done4 (i32.ge_u (local.get $off) (local.get $end4)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $off))))
        (local.set $mv
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $off))) (local.get $b1))
            (f32x4.mul (local.get $gv) (local.get $c1m))))
        (local.set $vv
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $off))) (local.get $b2))
            (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (local.get $c2m))))
        (v128.store (i32.add (local.get $mOut) (local.get $off)) (local.get $mv))
        (v128.store (i32.add (local.get $vOut) (local.get $off)) (local.get $vv))
        (v128.store (i32.add (local.get $xOut) (local.get $off))
          (f32x4.add
            (f32x4.mul
              (f32x4.div
                (f32x4.div (local.get $mv) (local.get $k1))
                (f32x4.add (f32x4.sqrt (f32x4.div (local.get $vv) (local.get $k2))) (local.get $eps)))
              (local.get $lr))
            (v128.load (i32.add (local.get $x) (local.get $off)))))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $vectors)))
    ;; The last n % 4 floats, the same operations on scalars.
    (block $done
      (loop $scalars
        (br_if $done (i32.ge_u (local.get $off) (local.get $end)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $off))))
        (local.set $ms
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $m) (local.get $off))) (local.get $beta1))
            (f32.mul (local.get $gs) (local.get $oneMinusBeta1))))
        (local.set $vs
          (f32.add
            (f32.mul (f32.load (i32.add (local.get $v) (local.get $off))) (local.get $beta2))
            (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (local.get $oneMinusBeta2))))
        (f32.store (i32.add (local.get $mOut) (local.get $off)) (local.get $ms))
        (f32.store (i32.add (local.get $vOut) (local.get $off)) (local.get $vs))
        (f32.store (i32.add (local.get $xOut) (local.get $off))
          (f32.add
            (f32.mul
              (f32.div
                (f32.div (local.get $ms) (local.get $correction1))
                (f32.add (f32.sqrt (f32.div (local.get $vs) (local.get $correction2))) (local.get $epsilon)))
              (local.get $negativeLr))
            (f32.load (i32.add (local.get $x) (local.get $off)))))
        (local.set $off (i32.add (local.get $off) (i32.const 4)))
        (br $scalars)))))
