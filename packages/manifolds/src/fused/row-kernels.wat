;; Row-wise SIMD kernels over row-major float32 [n, d] matrices, for the fused manifold ops on
;; tfjs-backend-wasm (see fused-ops.ts and wasm-kernels.ts). The module imports the backend's own
;; memory, so its pointers are the tensors' byte offsets there and nothing is copied.
;; The ops run in blocks of rows: a pass for the row statistics (pairDots, pairStats, rowSquares), the float64
;; row coefficients (here for Moebius addition and for expmap0 with k <= 0; in JS where they need
;; atan, tan or log), and a pass writing the output rows (combineRows, scaleRows).
;;
;; Rebuild the embedded bytes after editing: `pnpm --filter @curvad/manifolds build:wasm`
;; (row-kernels-wasm.test.ts fails while they differ from this file).
(module
  (import "env" "memory" (memory 0))

  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; For rows r in [0, n): out[4r .. 4r+3] = |x_r|^2, |y_r|^2, <x_r, y_r>, |x_r - y_r|^2 (for dist).
  (func (export "pairDots") (param $x i32) (param $y i32) (param $n i32) (param $d i32) (param $out i32)
    (local $r i32) (local $rowBytes i32) (local $vecEnd i32) (local $end i32)
    (local $sx v128) (local $sy v128) (local $sxy v128) (local $sdd v128)
    (local $vx v128) (local $vy v128) (local $vd v128)
    (local $tx f32) (local $ty f32) (local $txy f32) (local $tdd f32)
    (local $fx f32) (local $fy f32) (local $fd f32)
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $sx (v128.const i32x4 0 0 0 0))
        (local.set $sy (v128.const i32x4 0 0 0 0))
        (local.set $sxy (v128.const i32x4 0 0 0 0))
        (local.set $sdd (v128.const i32x4 0 0 0 0))
        (local.set $vecEnd (i32.add (local.get $x) (i32.and (local.get $rowBytes) (i32.const -16))))
        (local.set $end (i32.add (local.get $x) (local.get $rowBytes)))
        (block $vecDone
          (loop $vec
            (br_if $vecDone (i32.ge_u (local.get $x) (local.get $vecEnd)))
            (local.set $vx (v128.load align=4 (local.get $x)))
            (local.set $vy (v128.load align=4 (local.get $y)))
            (local.set $vd (f32x4.sub (local.get $vx) (local.get $vy)))
            (local.set $sx (f32x4.add (local.get $sx) (f32x4.mul (local.get $vx) (local.get $vx))))
            (local.set $sy (f32x4.add (local.get $sy) (f32x4.mul (local.get $vy) (local.get $vy))))
            (local.set $sxy (f32x4.add (local.get $sxy) (f32x4.mul (local.get $vx) (local.get $vy))))
            (local.set $sdd (f32x4.add (local.get $sdd) (f32x4.mul (local.get $vd) (local.get $vd))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (local.set $y (i32.add (local.get $y) (i32.const 16)))
            (br $vec)))
        (local.set $tx (call $hsum (local.get $sx)))
        (local.set $ty (call $hsum (local.get $sy)))
        (local.set $txy (call $hsum (local.get $sxy)))
        (local.set $tdd (call $hsum (local.get $sdd)))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $x) (local.get $end)))
            (local.set $fx (f32.load (local.get $x)))
            (local.set $fy (f32.load (local.get $y)))
            (local.set $fd (f32.sub (local.get $fx) (local.get $fy)))
            (local.set $tx (f32.add (local.get $tx) (f32.mul (local.get $fx) (local.get $fx))))
            (local.set $ty (f32.add (local.get $ty) (f32.mul (local.get $fy) (local.get $fy))))
            (local.set $txy (f32.add (local.get $txy) (f32.mul (local.get $fx) (local.get $fy))))
            (local.set $tdd (f32.add (local.get $tdd) (f32.mul (local.get $fd) (local.get $fd))))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (local.set $y (i32.add (local.get $y) (i32.const 4)))
            (br $tail)))
        (f32.store offset=0 (local.get $out) (local.get $tx))
        (f32.store offset=4 (local.get $out) (local.get $ty))
        (f32.store offset=8 (local.get $out) (local.get $txy))
        (f32.store offset=12 (local.get $out) (local.get $tdd))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; For rows r in [0, n): out[4r .. 4r+2] = |x_r|^2, |y_r|^2, <x_r, y_r> (out[4r + 3] untouched),
  ;; for Moebius addition. Two sets of accumulators (8 floats per step) halve the sums' dependency
  ;; chains; with three sums they still fit the registers.
  (func (export "pairStats") (param $x i32) (param $y i32) (param $n i32) (param $d i32) (param $out i32)
    (local $r i32) (local $rowBytes i32) (local $pairEnd i32) (local $vecEnd i32) (local $end i32)
    (local $sx v128) (local $sy v128) (local $sxy v128) (local $tx4 v128) (local $ty4 v128) (local $txy4 v128)
    (local $vx v128) (local $vy v128) (local $wx v128) (local $wy v128)
    (local $tx f32) (local $ty f32) (local $txy f32) (local $fx f32) (local $fy f32)
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $sx (v128.const i32x4 0 0 0 0))
        (local.set $sy (v128.const i32x4 0 0 0 0))
        (local.set $sxy (v128.const i32x4 0 0 0 0))
        (local.set $tx4 (v128.const i32x4 0 0 0 0))
        (local.set $ty4 (v128.const i32x4 0 0 0 0))
        (local.set $txy4 (v128.const i32x4 0 0 0 0))
        (local.set $pairEnd (i32.add (local.get $x) (i32.and (local.get $rowBytes) (i32.const -32))))
        (local.set $vecEnd (i32.add (local.get $x) (i32.and (local.get $rowBytes) (i32.const -16))))
        (local.set $end (i32.add (local.get $x) (local.get $rowBytes)))
        (block $pairDone
          (loop $pair
            (br_if $pairDone (i32.ge_u (local.get $x) (local.get $pairEnd)))
            (local.set $vx (v128.load align=4 (local.get $x)))
            (local.set $vy (v128.load align=4 (local.get $y)))
            (local.set $wx (v128.load offset=16 align=4 (local.get $x)))
            (local.set $wy (v128.load offset=16 align=4 (local.get $y)))
            (local.set $sx (f32x4.add (local.get $sx) (f32x4.mul (local.get $vx) (local.get $vx))))
            (local.set $sy (f32x4.add (local.get $sy) (f32x4.mul (local.get $vy) (local.get $vy))))
            (local.set $sxy (f32x4.add (local.get $sxy) (f32x4.mul (local.get $vx) (local.get $vy))))
            (local.set $tx4 (f32x4.add (local.get $tx4) (f32x4.mul (local.get $wx) (local.get $wx))))
            (local.set $ty4 (f32x4.add (local.get $ty4) (f32x4.mul (local.get $wy) (local.get $wy))))
            (local.set $txy4 (f32x4.add (local.get $txy4) (f32x4.mul (local.get $wx) (local.get $wy))))
            (local.set $x (i32.add (local.get $x) (i32.const 32)))
            (local.set $y (i32.add (local.get $y) (i32.const 32)))
            (br $pair)))
        (block $vecDone
          (loop $vec
            (br_if $vecDone (i32.ge_u (local.get $x) (local.get $vecEnd)))
            (local.set $vx (v128.load align=4 (local.get $x)))
            (local.set $vy (v128.load align=4 (local.get $y)))
            (local.set $sx (f32x4.add (local.get $sx) (f32x4.mul (local.get $vx) (local.get $vx))))
            (local.set $sy (f32x4.add (local.get $sy) (f32x4.mul (local.get $vy) (local.get $vy))))
            (local.set $sxy (f32x4.add (local.get $sxy) (f32x4.mul (local.get $vx) (local.get $vy))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (local.set $y (i32.add (local.get $y) (i32.const 16)))
            (br $vec)))
        (local.set $tx (call $hsum (f32x4.add (local.get $sx) (local.get $tx4))))
        (local.set $ty (call $hsum (f32x4.add (local.get $sy) (local.get $ty4))))
        (local.set $txy (call $hsum (f32x4.add (local.get $sxy) (local.get $txy4))))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $x) (local.get $end)))
            (local.set $fx (f32.load (local.get $x)))
            (local.set $fy (f32.load (local.get $y)))
            (local.set $tx (f32.add (local.get $tx) (f32.mul (local.get $fx) (local.get $fx))))
            (local.set $ty (f32.add (local.get $ty) (f32.mul (local.get $fy) (local.get $fy))))
            (local.set $txy (f32.add (local.get $txy) (f32.mul (local.get $fx) (local.get $fy))))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (local.set $y (i32.add (local.get $y) (i32.const 4)))
            (br $tail)))
        (f32.store offset=0 (local.get $out) (local.get $tx))
        (f32.store offset=4 (local.get $out) (local.get $ty))
        (f32.store offset=8 (local.get $out) (local.get $txy))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; For rows r in [0, n): out[r] = |x_r|^2. Four accumulators (16 floats per step), for the same
  ;; reason as in pairDots.
  (func (export "rowSquares") (param $x i32) (param $n i32) (param $d i32) (param $out i32)
    (local $r i32) (local $rowBytes i32) (local $quadEnd i32) (local $vecEnd i32) (local $end i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $v v128) (local $t f32) (local $f f32)
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $s0 (v128.const i32x4 0 0 0 0))
        (local.set $s1 (v128.const i32x4 0 0 0 0))
        (local.set $s2 (v128.const i32x4 0 0 0 0))
        (local.set $s3 (v128.const i32x4 0 0 0 0))
        (local.set $quadEnd (i32.add (local.get $x) (i32.and (local.get $rowBytes) (i32.const -64))))
        (local.set $vecEnd (i32.add (local.get $x) (i32.and (local.get $rowBytes) (i32.const -16))))
        (local.set $end (i32.add (local.get $x) (local.get $rowBytes)))
        (block $quadDone
          (loop $quad
            (br_if $quadDone (i32.ge_u (local.get $x) (local.get $quadEnd)))
            (local.set $v (v128.load align=4 (local.get $x)))
            (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $v) (local.get $v))))
            (local.set $v (v128.load offset=16 align=4 (local.get $x)))
            (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $v) (local.get $v))))
            (local.set $v (v128.load offset=32 align=4 (local.get $x)))
            (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $v) (local.get $v))))
            (local.set $v (v128.load offset=48 align=4 (local.get $x)))
            (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $v) (local.get $v))))
            (local.set $x (i32.add (local.get $x) (i32.const 64)))
            (br $quad)))
        (block $vecDone
          (loop $vec
            (br_if $vecDone (i32.ge_u (local.get $x) (local.get $vecEnd)))
            (local.set $v (v128.load align=4 (local.get $x)))
            (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $v) (local.get $v))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (br $vec)))
        (local.set $t (call $hsum (f32x4.add (f32x4.add (local.get $s0) (local.get $s1)) (f32x4.add (local.get $s2) (local.get $s3)))))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $x) (local.get $end)))
            (local.set $f (f32.load (local.get $x)))
            (local.set $t (f32.add (local.get $t) (f32.mul (local.get $f) (local.get $f))))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (br $tail)))
        (f32.store (local.get $out) (local.get $t))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; For rows r in [0, n): out_r = coef[r] x_r (16 floats per step, then 4, then single floats).
  (func (export "scaleRows") (param $x i32) (param $n i32) (param $d i32) (param $coef i32) (param $out i32)
    (local $r i32) (local $rowBytes i32) (local $quadEnd i32) (local $vecEnd i32) (local $end i32)
    (local $a f32) (local $va v128)
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $a (f32.load (local.get $coef)))
        (local.set $va (f32x4.splat (local.get $a)))
        (local.set $quadEnd (i32.add (local.get $x) (i32.and (local.get $rowBytes) (i32.const -64))))
        (local.set $vecEnd (i32.add (local.get $x) (i32.and (local.get $rowBytes) (i32.const -16))))
        (local.set $end (i32.add (local.get $x) (local.get $rowBytes)))
        (block $quadDone
          (loop $quad
            (br_if $quadDone (i32.ge_u (local.get $x) (local.get $quadEnd)))
            (v128.store offset=0 align=4 (local.get $out) (f32x4.mul (local.get $va) (v128.load offset=0 align=4 (local.get $x))))
            (v128.store offset=16 align=4 (local.get $out) (f32x4.mul (local.get $va) (v128.load offset=16 align=4 (local.get $x))))
            (v128.store offset=32 align=4 (local.get $out) (f32x4.mul (local.get $va) (v128.load offset=32 align=4 (local.get $x))))
            (v128.store offset=48 align=4 (local.get $out) (f32x4.mul (local.get $va) (v128.load offset=48 align=4 (local.get $x))))
            (local.set $x (i32.add (local.get $x) (i32.const 64)))
            (local.set $out (i32.add (local.get $out) (i32.const 64)))
            (br $quad)))
        (block $vecDone
          (loop $vec
            (br_if $vecDone (i32.ge_u (local.get $x) (local.get $vecEnd)))
            (v128.store align=4 (local.get $out) (f32x4.mul (local.get $va) (v128.load align=4 (local.get $x))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (local.set $out (i32.add (local.get $out) (i32.const 16)))
            (br $vec)))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $x) (local.get $end)))
            (f32.store (local.get $out) (f32.mul (local.get $a) (f32.load (local.get $x))))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (br $tail)))
        (local.set $coef (i32.add (local.get $coef) (i32.const 4)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; For rows r in [0, n): out_r = coef[2r] x_r + coef[2r + 1] y_r (16 floats per step, then 4, then 1).
  (func (export "combineRows") (param $x i32) (param $y i32) (param $n i32) (param $d i32) (param $coef i32) (param $out i32)
    (local $r i32) (local $rowBytes i32) (local $quadEnd i32) (local $vecEnd i32) (local $end i32)
    (local $a f32) (local $b f32) (local $va v128) (local $vb v128)
    (local.set $rowBytes (i32.shl (local.get $d) (i32.const 2)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $a (f32.load offset=0 (local.get $coef)))
        (local.set $b (f32.load offset=4 (local.get $coef)))
        (local.set $va (f32x4.splat (local.get $a)))
        (local.set $vb (f32x4.splat (local.get $b)))
        (local.set $quadEnd (i32.add (local.get $x) (i32.and (local.get $rowBytes) (i32.const -64))))
        (local.set $vecEnd (i32.add (local.get $x) (i32.and (local.get $rowBytes) (i32.const -16))))
        (local.set $end (i32.add (local.get $x) (local.get $rowBytes)))
        (block $quadDone
          (loop $quad
            (br_if $quadDone (i32.ge_u (local.get $x) (local.get $quadEnd)))
            (v128.store offset=0 align=4 (local.get $out) (f32x4.add
              (f32x4.mul (local.get $va) (v128.load offset=0 align=4 (local.get $x)))
              (f32x4.mul (local.get $vb) (v128.load offset=0 align=4 (local.get $y)))))
            (v128.store offset=16 align=4 (local.get $out) (f32x4.add
              (f32x4.mul (local.get $va) (v128.load offset=16 align=4 (local.get $x)))
              (f32x4.mul (local.get $vb) (v128.load offset=16 align=4 (local.get $y)))))
            (v128.store offset=32 align=4 (local.get $out) (f32x4.add
              (f32x4.mul (local.get $va) (v128.load offset=32 align=4 (local.get $x)))
              (f32x4.mul (local.get $vb) (v128.load offset=32 align=4 (local.get $y)))))
            (v128.store offset=48 align=4 (local.get $out) (f32x4.add
              (f32x4.mul (local.get $va) (v128.load offset=48 align=4 (local.get $x)))
              (f32x4.mul (local.get $vb) (v128.load offset=48 align=4 (local.get $y)))))
            (local.set $x (i32.add (local.get $x) (i32.const 64)))
            (local.set $y (i32.add (local.get $y) (i32.const 64)))
            (local.set $out (i32.add (local.get $out) (i32.const 64)))
            (br $quad)))
        (block $vecDone
          (loop $vec
            (br_if $vecDone (i32.ge_u (local.get $x) (local.get $vecEnd)))
            (v128.store align=4 (local.get $out) (f32x4.add
              (f32x4.mul (local.get $va) (v128.load align=4 (local.get $x)))
              (f32x4.mul (local.get $vb) (v128.load align=4 (local.get $y)))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (local.set $y (i32.add (local.get $y) (i32.const 16)))
            (local.set $out (i32.add (local.get $out) (i32.const 16)))
            (br $vec)))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $x) (local.get $end)))
            (f32.store (local.get $out) (f32.add
              (f32.mul (local.get $a) (f32.load (local.get $x)))
              (f32.mul (local.get $b) (f32.load (local.get $y)))))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (local.set $y (i32.add (local.get $y) (i32.const 4)))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (br $tail)))
        (local.set $coef (i32.add (local.get $coef) (i32.const 8)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; Moebius-addition coefficients for n rows: from pairStats' (|x|^2, |y|^2, <x,y>, .) per row at
  ;; $dots to (a, b) per row at $coef, x (+)_k y = a x + b y, with row-math.ts' formula, floors
  ;; (1e-15 = MIN_DENOMINATOR, 1e-30 = MIN_SQ_NORM) and clip ($maxNorm: the ball clip radius, or
  ;; +inf for none), in float64. Two rows per step in float64x2, no branches, so the CPU overlaps
  ;; the rows' latency-bound chains (divisions, sqrt), which a per-row fused loop cannot. An odd last
  ;; row is computed twice in both lanes and stored once.
  (func (export "mobiusAddCoefficients") (param $dots i32) (param $n i32) (param $k f64) (param $maxNorm f64) (param $coef i32)
    (local $end i32) (local $full i32) (local $r0 v128) (local $r1 v128)
    (local $x2 v128) (local $y2 v128) (local $xy v128) (local $vk v128) (local $first v128) (local $inv v128)
    (local $a v128) (local $b v128) (local $norm v128) (local $f v128) (local $ab v128)
    (local.set $vk (f64x2.splat (local.get $k)))
    (local.set $end (i32.add (local.get $dots) (i32.shl (local.get $n) (i32.const 4))))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $dots) (local.get $end)))
        (local.set $full (i32.lt_u (i32.add (local.get $dots) (i32.const 16)) (local.get $end)))
        (local.set $r0 (v128.load align=4 (local.get $dots)))
        (local.set $r1 (if (result v128) (local.get $full)
          (then (v128.load offset=16 align=4 (local.get $dots)))
          (else (local.get $r0))))
        (local.set $x2 (f64x2.promote_low_f32x4 (i8x16.shuffle 0 1 2 3 16 17 18 19 0 1 2 3 0 1 2 3 (local.get $r0) (local.get $r1))))
        (local.set $y2 (f64x2.promote_low_f32x4 (i8x16.shuffle 4 5 6 7 20 21 22 23 0 1 2 3 0 1 2 3 (local.get $r0) (local.get $r1))))
        (local.set $xy (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 24 25 26 27 0 1 2 3 0 1 2 3 (local.get $r0) (local.get $r1))))
        ;; den = (1 - k<x,y>)^2 + k^2 max(|x|^2 |y|^2 - <x,y>^2, 0), floored
        (local.set $first (f64x2.sub (f64x2.splat (f64.const 1)) (f64x2.mul (local.get $vk) (local.get $xy))))
        (local.set $inv (f64x2.div (f64x2.splat (f64.const 1)) (f64x2.max
          (f64x2.add (f64x2.mul (local.get $first) (local.get $first))
            (f64x2.mul (f64x2.mul (local.get $vk) (local.get $vk))
              (f64x2.max (f64x2.sub (f64x2.mul (local.get $x2) (local.get $y2)) (f64x2.mul (local.get $xy) (local.get $xy)))
                (f64x2.splat (f64.const 0)))))
          (f64x2.splat (f64.const 1e-15)))))
        ;; a = (1 - 2k<x,y> - k|y|^2) / den, b = (1 + k|x|^2) / den
        (local.set $a (f64x2.mul (local.get $inv)
          (f64x2.sub (f64x2.sub (f64x2.splat (f64.const 1)) (f64x2.mul (f64x2.add (local.get $vk) (local.get $vk)) (local.get $xy)))
            (f64x2.mul (local.get $vk) (local.get $y2)))))
        (local.set $b (f64x2.mul (local.get $inv) (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (local.get $vk) (local.get $x2)))))
        ;; clip: |a x + b y|^2 = a^2 |x|^2 + 2ab <x,y> + b^2 |y|^2; factor min(1, maxNorm / norm)
        (local.set $norm (f64x2.sqrt (f64x2.max
          (f64x2.add
            (f64x2.add (f64x2.mul (f64x2.mul (local.get $a) (local.get $a)) (local.get $x2))
              (f64x2.mul (f64x2.mul (f64x2.add (local.get $a) (local.get $a)) (local.get $b)) (local.get $xy)))
            (f64x2.mul (f64x2.mul (local.get $b) (local.get $b)) (local.get $y2)))
          (f64x2.splat (f64.const 1e-30)))))
        (local.set $f (f64x2.pmin (f64x2.splat (f64.const 1)) (f64x2.div (f64x2.splat (local.get $maxNorm)) (local.get $norm))))
        (local.set $ab (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
          (f32x4.demote_f64x2_zero (f64x2.mul (local.get $a) (local.get $f)))
          (f32x4.demote_f64x2_zero (f64x2.mul (local.get $b) (local.get $f)))))
        (if (local.get $full)
          (then (v128.store align=4 (local.get $coef) (local.get $ab)))
          (else (v128.store64_lane align=4 0 (local.get $coef) (local.get $ab))))
        (local.set $dots (i32.add (local.get $dots) (i32.const 32)))
        (local.set $coef (i32.add (local.get $coef) (i32.const 16)))
        (br $pairs))))

  ;; expmap0 coefficients for k <= 0, in place over n float32 entries at $sq: each |u_r|^2 becomes
  ;; c_r = tanh(a) / a with a = sqrt(-k |u_r|^2) (row-math.ts' expmap0Coefficients: the series in
  ;; z = k |u|^2 below $seriesThreshold, tanh through exp above). With the projection, tanh(a) is
  ;; capped at $tanhCap = 1 - BALL_EPS, which is the ball clip (the output norm is
  ;; tanh(a) / sqrt(-k)); pass +inf for none. Two rows per step in float64x2: both the series and the
  ;; closed form are computed and a lane mask picks one, so the loop has no branches.
  ;; exp(x), x = -2a <= 0: x = m ln2 + r with |r| <= ln2 / 2 (ln2 split in a high and a low part),
  ;; exp(r) by its degree-8 Taylor polynomial (remainder below 3e-10 relative, which moves c by at
  ;; most 1.5e-9, far below float32's 6e-8) in Estrin's form, and 2^m from its bits; x is floored at
  ;; -708, where exp is still a normal float64 (tanh is 1 there anyway).
  (func (export "expmap0BallCoefficients") (param $sq i32) (param $n i32) (param $k f64)
      (param $seriesThreshold f64) (param $tanhCap f64)
    (local $end i32) (local $full i32) (local $u2 v128) (local $c v128)
    (local $z v128) (local $absZ v128) (local $a v128) (local $x v128) (local $m v128) (local $r v128)
    (local $r2 v128) (local $r4 v128) (local $e0 v128) (local $e1 v128) (local $e v128) (local $shifted v128)
    (local $den v128) (local $closed v128) (local $series v128)
    (local.set $end (i32.add (local.get $sq) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $sq) (local.get $end)))
        ;; two rows, or the odd last one alone in lane 0 (nothing is read or written past it)
        (local.set $full (i32.lt_u (i32.add (local.get $sq) (i32.const 4)) (local.get $end)))
        (local.set $u2 (if (result v128) (local.get $full)
          (then (v128.load64_zero align=4 (local.get $sq)))
          (else (v128.load32_zero (local.get $sq)))))
        (local.set $z (f64x2.mul (f64x2.splat (local.get $k)) (f64x2.promote_low_f32x4 (local.get $u2))))
        (local.set $absZ (f64x2.abs (local.get $z)))
        ;; series of tanScale: 1 + z (1/3 + z (2/15 + z 17/315))
        (local.set $series (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (local.get $z)
          (f64x2.add (f64x2.splat (f64.const 0.3333333333333333)) (f64x2.mul (local.get $z)
            (f64x2.add (f64x2.splat (f64.const 0.13333333333333333)) (f64x2.mul (local.get $z) (f64x2.splat (f64.const 0.05396825396825397)))))))))
        (local.set $a (f64x2.sqrt (local.get $absZ)))
        (local.set $x (f64x2.max (f64x2.mul (f64x2.splat (f64.const -2)) (local.get $a)) (f64x2.splat (f64.const -708))))
        ;; m = round(x / ln2) with the 1.5 * 2^52 shift: the sum's low mantissa bits hold m as an integer
        (local.set $shifted (f64x2.add (f64x2.mul (local.get $x) (f64x2.splat (f64.const 1.4426950408889634)))
          (f64x2.splat (f64.const 6755399441055744))))
        (local.set $m (f64x2.sub (local.get $shifted) (f64x2.splat (f64.const 6755399441055744))))
        (local.set $r (f64x2.sub
          (f64x2.sub (local.get $x) (f64x2.mul (local.get $m) (f64x2.splat (f64.const 0.6931471803691238))))
          (f64x2.mul (local.get $m) (f64x2.splat (f64.const 1.9082149292705877e-10)))))
        (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
        (local.set $r4 (f64x2.mul (local.get $r2) (local.get $r2)))
        ;; exp(r), degree 8 in Estrin's form: (1 + r + r^2/2 + r^3/6) + r^4 ((1/4! + ... + r^3/7!) + r^4/8!)
        (local.set $e0 (f64x2.add
          (f64x2.add (f64x2.splat (f64.const 1)) (local.get $r))
          (f64x2.mul (local.get $r2) (f64x2.add (f64x2.splat (f64.const 0.5)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 0.16666666666666666)))))))
        (local.set $e1 (f64x2.add
          (f64x2.add (f64x2.splat (f64.const 4.1666666666666664e-2)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 8.333333333333333e-3))))
          (f64x2.mul (local.get $r2) (f64x2.add (f64x2.splat (f64.const 1.388888888888889e-3)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const 1.984126984126984e-4)))))))
        ;; times 2^m: m + 1023 shifted into the exponent field (the shift drops the bits above)
        (local.set $e (f64x2.mul
          (f64x2.add (local.get $e0) (f64x2.mul (local.get $r4) (f64x2.add (local.get $e1) (f64x2.mul (local.get $r4) (f64x2.splat (f64.const 2.48015873015873e-5))))))
          (i64x2.shl (i64x2.add (local.get $shifted) (i64x2.splat (i64.const 1023))) (i32.const 52))))
        ;; tanh(a) = (1 - e) / (1 + e), capped: c = min(1 - e, tanhCap (1 + e)) / ((1 + e) a), one division
        (local.set $den (f64x2.add (f64x2.splat (f64.const 1)) (local.get $e)))
        (local.set $closed (f64x2.div
          (f64x2.pmin (f64x2.sub (f64x2.splat (f64.const 1)) (local.get $e)) (f64x2.mul (f64x2.splat (local.get $tanhCap)) (local.get $den)))
          (f64x2.mul (local.get $den) (local.get $a))))
        (local.set $c (v128.bitselect (local.get $series) (local.get $closed)
          (f64x2.lt (local.get $absZ) (f64x2.splat (local.get $seriesThreshold)))))
        (if (local.get $full)
          (then (v128.store64_lane align=4 0 (local.get $sq) (f32x4.demote_f64x2_zero (local.get $c))))
          (else (v128.store32_lane 0 (local.get $sq) (f32x4.demote_f64x2_zero (local.get $c)))))
        (local.set $sq (i32.add (local.get $sq) (i32.const 8)))
        (br $pairs))))
)
