;; 128-bit SIMD loops for @curvad/runtime's wasm training kernels. The module imports
;; tfjs-backend-wasm's own memory, so it reads and writes tensors where they live (every pointer
;; below is a byte offset into that heap) and needs no copies.
;;
;; Compiled to kernels-wasm.ts by `pnpm --filter @curvad/runtime build:wasm` (tools/wat-embed); the test
;; simd-module.test.ts recompiles this file and checks that the committed bytes match.
(module
  (import "env" "memory" (memory 1))

  ;; dst[j] = sum over r < rows of src[r * inner + j], for j < inner (float32 sums: the caller
  ;; passes blocks of a few hundred rows and accumulates the blocks in float64).
  (func (export "column_sums")
    (param $src i32) (param $rows i32) (param $inner i32) (param $dst i32)
    (local $rowBytes i32) (local $j i32) (local $p i32) (local $end i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $s f32)
    (local.set $rowBytes (i32.shl (local.get $inner) (i32.const 2)))
    (local.set $end (i32.add (local.get $src) (i32.mul (local.get $rows) (local.get $rowBytes))))
    ;; Blocks of 16 columns in four accumulators.
    (block $done16
      (loop $cols16
        (br_if $done16 (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $inner)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $p (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2))))
        (block $rowsDone
          (loop $rowsLoop
            (br_if $rowsDone (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $a0 (f32x4.add (local.get $a0) (v128.load offset=0 (local.get $p))))
            (local.set $a1 (f32x4.add (local.get $a1) (v128.load offset=16 (local.get $p))))
            (local.set $a2 (f32x4.add (local.get $a2) (v128.load offset=32 (local.get $p))))
            (local.set $a3 (f32x4.add (local.get $a3) (v128.load offset=48 (local.get $p))))
            (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
            (br $rowsLoop)))
        (local.set $p (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2))))
        (v128.store offset=0 (local.get $p) (local.get $a0))
        (v128.store offset=16 (local.get $p) (local.get $a1))
        (v128.store offset=32 (local.get $p) (local.get $a2))
        (v128.store offset=48 (local.get $p) (local.get $a3))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $cols16)))
    ;; Remaining blocks of 4 columns.
    (block $done4
      (loop $cols4
        (br_if $done4 (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $inner)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $p (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2))))
        (block $rowsDone4
          (loop $rowsLoop4
            (br_if $rowsDone4 (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $a0 (f32x4.add (local.get $a0) (v128.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
            (br $rowsLoop4)))
        (v128.store (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2))) (local.get $a0))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $cols4)))
    ;; Single columns.
    (block $done1
      (loop $cols1
        (br_if $done1 (i32.ge_u (local.get $j) (local.get $inner)))
        (local.set $s (f32.const 0))
        (local.set $p (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2))))
        (block $rowsDone1
          (loop $rowsLoop1
            (br_if $rowsDone1 (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $s (f32.add (local.get $s) (f32.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
            (br $rowsLoop1)))
        (f32.store (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 2))) (local.get $s))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $cols1))))

  ;; Max-pool gradient for NHWC float32 tensors whose channel count is a multiple of 4. dx must be
  ;; zero on entry, unless `overwrite` is 1: then the windows must tile the input exactly (each
  ;; input element in one window), and every element is written instead of added to. For every window, each channel's output gradient goes to the first tap (in
  ;; row-major window order) that holds the window's maximum: the tap where `value > best` last
  ;; held in a scan that starts at -inf, the tie rule of tfjs's cpu backend. Windows may overlap
  ;; (gradients add up). `taps` is scratch for filterHeight * filterWidth i32 byte offsets.
  ;; `geometry` points to 14 i32: batch, inHeight, inWidth, channels, outHeight, outWidth,
  ;; filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth, top, left.
  (func (export "max_pool_grad")
    (param $x i32) (param $dy i32) (param $dx i32) (param $taps i32) (param $geometry i32) (param $overwrite i32)
    (local $batch i32) (local $inH i32) (local $inW i32) (local $channelBytes i32)
    (local $outH i32) (local $outW i32) (local $fh i32) (local $fw i32)
    (local $sh i32) (local $sw i32) (local $dh i32) (local $dw i32) (local $top i32) (local $left i32)
    (local $b i32) (local $oh i32) (local $ow i32) (local $kh i32) (local $kw i32)
    (local $ih i32) (local $iw i32) (local $count i32) (local $t i32) (local $c i32)
    (local $dyPixel i32) (local $tapEnd i32) (local $at i32)
    (local $best v128) (local $taken v128) (local $grad v128) (local $v v128) (local $hit v128)
    (local.set $batch (i32.load offset=0 (local.get $geometry)))
    (local.set $inH (i32.load offset=4 (local.get $geometry)))
    (local.set $inW (i32.load offset=8 (local.get $geometry)))
    (local.set $channelBytes (i32.shl (i32.load offset=12 (local.get $geometry)) (i32.const 2)))
    (local.set $outH (i32.load offset=16 (local.get $geometry)))
    (local.set $outW (i32.load offset=20 (local.get $geometry)))
    (local.set $fh (i32.load offset=24 (local.get $geometry)))
    (local.set $fw (i32.load offset=28 (local.get $geometry)))
    (local.set $sh (i32.load offset=32 (local.get $geometry)))
    (local.set $sw (i32.load offset=36 (local.get $geometry)))
    (local.set $dh (i32.load offset=40 (local.get $geometry)))
    (local.set $dw (i32.load offset=44 (local.get $geometry)))
    (local.set $top (i32.load offset=48 (local.get $geometry)))
    (local.set $left (i32.load offset=52 (local.get $geometry)))
    (local.set $dyPixel (local.get $dy))
    (local.set $b (i32.const 0))
    (block $batchDone (loop $batchLoop
      (br_if $batchDone (i32.ge_s (local.get $b) (local.get $batch)))
      (local.set $oh (i32.const 0))
      (block $ohDone (loop $ohLoop
        (br_if $ohDone (i32.ge_s (local.get $oh) (local.get $outH)))
        (local.set $ow (i32.const 0))
        (block $owDone (loop $owLoop
          (br_if $owDone (i32.ge_s (local.get $ow) (local.get $outW)))
          ;; Byte offsets (relative to the channel 0 of pixel (b, 0, 0)) of the window's in-bounds taps.
          (local.set $tapEnd (local.get $taps))
          (local.set $kh (i32.const 0))
          (block $khDone (loop $khLoop
            (br_if $khDone (i32.ge_s (local.get $kh) (local.get $fh)))
            (local.set $ih (i32.sub (i32.add (i32.mul (local.get $oh) (local.get $sh)) (i32.mul (local.get $kh) (local.get $dh))) (local.get $top)))
            (if (i32.and (i32.ge_s (local.get $ih) (i32.const 0)) (i32.lt_s (local.get $ih) (local.get $inH)))
              (then
                (local.set $kw (i32.const 0))
                (block $kwDone (loop $kwLoop
                  (br_if $kwDone (i32.ge_s (local.get $kw) (local.get $fw)))
                  (local.set $iw (i32.sub (i32.add (i32.mul (local.get $ow) (local.get $sw)) (i32.mul (local.get $kw) (local.get $dw))) (local.get $left)))
                  (if (i32.and (i32.ge_s (local.get $iw) (i32.const 0)) (i32.lt_s (local.get $iw) (local.get $inW)))
                    (then
                      (i32.store (local.get $tapEnd)
                        (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inH)) (local.get $ih)) (local.get $inW)) (local.get $iw)) (local.get $channelBytes)))
                      (local.set $tapEnd (i32.add (local.get $tapEnd) (i32.const 4)))))
                  (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
                  (br $kwLoop)))))
            (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
            (br $khLoop)))
          (if (i32.gt_u (local.get $tapEnd) (local.get $taps))
            (then
              (local.set $c (i32.const 0))
              (block $cDone (loop $cLoop
                (br_if $cDone (i32.ge_u (local.get $c) (local.get $channelBytes)))
                ;; best = max over taps, scanning as `if (value > best) best = value` does (pmax).
                (local.set $best (v128.const f32x4 -inf -inf -inf -inf))
                (local.set $t (local.get $taps))
                (block $maxDone (loop $maxLoop
                  (br_if $maxDone (i32.ge_u (local.get $t) (local.get $tapEnd)))
                  (local.set $best (f32x4.pmax (local.get $best)
                    (v128.load (i32.add (i32.add (local.get $x) (i32.load (local.get $t))) (local.get $c)))))
                  (local.set $t (i32.add (local.get $t) (i32.const 4)))
                  (br $maxLoop)))
                ;; The first tap equal to best takes the gradient (lanes where no value exceeded -inf take none).
                (local.set $taken (f32x4.eq (local.get $best) (v128.const f32x4 -inf -inf -inf -inf)))
                (local.set $grad (v128.load (i32.add (local.get $dyPixel) (local.get $c))))
                (local.set $t (local.get $taps))
                (block $gradDone (loop $gradLoop
                  (br_if $gradDone (i32.ge_u (local.get $t) (local.get $tapEnd)))
                  (local.set $at (i32.add (i32.load (local.get $t)) (local.get $c)))
                  (local.set $v (v128.load (i32.add (local.get $x) (local.get $at))))
                  (local.set $hit (v128.andnot (f32x4.eq (local.get $v) (local.get $best)) (local.get $taken)))
                  (v128.store (i32.add (local.get $dx) (local.get $at))
                    (if (result v128) (local.get $overwrite)
                      (then (v128.and (local.get $grad) (local.get $hit)))
                      (else (f32x4.add (v128.load (i32.add (local.get $dx) (local.get $at))) (v128.and (local.get $grad) (local.get $hit))))))
                  (local.set $taken (v128.or (local.get $taken) (local.get $hit)))
                  (local.set $t (i32.add (local.get $t) (i32.const 4)))
                  (br $gradLoop)))
                (local.set $c (i32.add (local.get $c) (i32.const 16)))
                (br $cLoop)))))
          (local.set $dyPixel (i32.add (local.get $dyPixel) (local.get $channelBytes)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $owLoop)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $ohLoop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $batchLoop))))

  ;; dst[c * rows + r] = src[r * cols + c] for r < rows4, c < cols4 (both multiples of 4), 4x4
  ;; blocks at a time; `rows` and `cols` are the full matrix sizes (the caller copies the edges).
  ;; Rows go in tiles of 16 so that each destination row receives a whole 64-byte line at a time:
  ;; destination rows are often a power-of-two multiple of 4 KiB apart, and 4x4 blocks alone
  ;; then spread their writes over more lines of one cache set than it has ways.
  (func (export "transpose_blocks")
    (param $src i32) (param $rows i32) (param $cols i32) (param $dst i32) (param $rows4 i32) (param $cols4 i32)
    (local $r i32) (local $c i32) (local $r0 i32) (local $rEnd i32) (local $in i32) (local $out i32) (local $srcRow i32) (local $dstRow i32)
    (local $a v128) (local $b v128) (local $cc v128) (local $d v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $srcRow (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $dstRow (i32.shl (local.get $rows) (i32.const 2)))
    (block $tileDone (loop $tileLoop
      (br_if $tileDone (i32.ge_u (local.get $r0) (local.get $rows4)))
      (local.set $rEnd (select (i32.add (local.get $r0) (i32.const 16)) (local.get $rows4)
        (i32.lt_u (i32.add (local.get $r0) (i32.const 16)) (local.get $rows4))))
      (local.set $c (i32.const 0))
      (block $cDone (loop $cLoop
        (br_if $cDone (i32.ge_u (local.get $c) (local.get $cols4)))
        (local.set $r (local.get $r0))
        (block $rDone (loop $rLoop
        (br_if $rDone (i32.ge_u (local.get $r) (local.get $rEnd)))
        (local.set $in (i32.add (local.get $src)
          (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2))))
        (local.set $a (v128.load (local.get $in)))
        (local.set $in (i32.add (local.get $in) (local.get $srcRow)))
        (local.set $b (v128.load (local.get $in)))
        (local.set $in (i32.add (local.get $in) (local.get $srcRow)))
        (local.set $cc (v128.load (local.get $in)))
        (local.set $in (i32.add (local.get $in) (local.get $srcRow)))
        (local.set $d (v128.load (local.get $in)))
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $cc) (local.get $d)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $cc) (local.get $d)))
        (local.set $out (i32.add (local.get $dst)
          (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2))))
        (v128.store (local.get $out) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
        (local.set $out (i32.add (local.get $out) (local.get $dstRow)))
        (v128.store (local.get $out) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
        (local.set $out (i32.add (local.get $out) (local.get $dstRow)))
        (v128.store (local.get $out) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
        (local.set $out (i32.add (local.get $out) (local.get $dstRow)))
        (v128.store (local.get $out) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rLoop)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $cLoop)))
      (local.set $r0 (i32.add (local.get $r0) (i32.const 16)))
      (br $tileLoop))))

  ;; c[m, n] = sum over p < k of a(i, p) * b[p, n] (b row-major float32, n a multiple of 8), where
  ;; a(i, p) is the float32 at a + i * aRowBytes + p * aColBytes: a [m, k] matrix (aRowBytes = 4k,
  ;; aColBytes = 4) or the transpose of a [k, m] one (4, 4m). Neither operand is packed: for the
  ;; products of filter gradients, where XNNPACK's packing of a big fresh operand at every call
  ;; costs as much as the product or more, and where a transposed patch matrix would cost a
  ;; transpose. Tiles of 4 rows x 8 columns of c stay in 8 registers (each b vector feeds 4 rows);
  ;; b is read in blocks of 256 rows that stay in cache while the rows of a pass over them.
  (func (export "gemm_unpacked")
    (param $a i32) (param $aRowBytes i32) (param $aColBytes i32) (param $b i32) (param $c i32)
    (param $m i32) (param $k i32) (param $n i32)
    (local $k0 i32) (local $kEnd i32) (local $j i32) (local $i i32) (local $pa i32) (local $pb i32)
    (local $paEnd i32) (local $pc i32) (local $rowB i32) (local $aRow2 i32) (local $aRow3 i32)
    (local $s v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $rowB (i32.shl (local.get $n) (i32.const 2)))
    (local.set $aRow2 (i32.shl (local.get $aRowBytes) (i32.const 1)))
    (local.set $aRow3 (i32.add (local.get $aRow2) (local.get $aRowBytes)))
    (memory.fill (local.get $c) (i32.const 0) (i32.shl (i32.mul (local.get $m) (local.get $n)) (i32.const 2)))
    (block $kDone (loop $kLoop
      (br_if $kDone (i32.ge_u (local.get $k0) (local.get $k)))
      (local.set $kEnd (select (i32.add (local.get $k0) (i32.const 256)) (local.get $k)
        (i32.lt_u (i32.add (local.get $k0) (i32.const 256)) (local.get $k))))
      (local.set $j (i32.const 0))
      (block $jDone (loop $jLoop
        (br_if $jDone (i32.ge_u (local.get $j) (local.get $n)))
        ;; Tiles of 4 rows.
        (local.set $i (i32.const 0))
        (block $i4Done (loop $i4Loop
          (br_if $i4Done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
          (local.set $pc (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2))))
          (local.set $c00 (v128.load offset=0 (local.get $pc)))
          (local.set $c01 (v128.load offset=16 (local.get $pc)))
          (local.set $c10 (v128.load offset=0 (i32.add (local.get $pc) (local.get $rowB))))
          (local.set $c11 (v128.load offset=16 (i32.add (local.get $pc) (local.get $rowB))))
          (local.set $c20 (v128.load offset=0 (i32.add (local.get $pc) (i32.shl (local.get $rowB) (i32.const 1)))))
          (local.set $c21 (v128.load offset=16 (i32.add (local.get $pc) (i32.shl (local.get $rowB) (i32.const 1)))))
          (local.set $c30 (v128.load offset=0 (i32.add (local.get $pc) (i32.mul (local.get $rowB) (i32.const 3)))))
          (local.set $c31 (v128.load offset=16 (i32.add (local.get $pc) (i32.mul (local.get $rowB) (i32.const 3)))))
          (local.set $pa (i32.add (local.get $a) (i32.add (i32.mul (local.get $i) (local.get $aRowBytes)) (i32.mul (local.get $k0) (local.get $aColBytes)))))
          (local.set $paEnd (i32.add (local.get $pa) (i32.mul (i32.sub (local.get $kEnd) (local.get $k0)) (local.get $aColBytes))))
          (local.set $pb (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $k0) (local.get $n)) (local.get $j)) (i32.const 2))))
          (block $in4Done (loop $in4Loop
            (br_if $in4Done (i32.ge_u (local.get $pa) (local.get $paEnd)))
            (local.set $b0 (v128.load offset=0 (local.get $pb)))
            (local.set $b1 (v128.load offset=16 (local.get $pb)))
            (local.set $s (v128.load32_splat (local.get $pa)))
            (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (local.get $b0))))
            (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (local.get $b1))))
            (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $aRowBytes))))
            (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $s) (local.get $b0))))
            (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $s) (local.get $b1))))
            (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow2))))
            (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $s) (local.get $b0))))
            (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $s) (local.get $b1))))
            (local.set $s (v128.load32_splat (i32.add (local.get $pa) (local.get $aRow3))))
            (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $s) (local.get $b0))))
            (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $s) (local.get $b1))))
            (local.set $pa (i32.add (local.get $pa) (local.get $aColBytes)))
            (local.set $pb (i32.add (local.get $pb) (local.get $rowB)))
            (br $in4Loop)))
          (v128.store offset=0 (local.get $pc) (local.get $c00))
          (v128.store offset=16 (local.get $pc) (local.get $c01))
          (v128.store offset=0 (i32.add (local.get $pc) (local.get $rowB)) (local.get $c10))
          (v128.store offset=16 (i32.add (local.get $pc) (local.get $rowB)) (local.get $c11))
          (v128.store offset=0 (i32.add (local.get $pc) (i32.shl (local.get $rowB) (i32.const 1))) (local.get $c20))
          (v128.store offset=16 (i32.add (local.get $pc) (i32.shl (local.get $rowB) (i32.const 1))) (local.get $c21))
          (v128.store offset=0 (i32.add (local.get $pc) (i32.mul (local.get $rowB) (i32.const 3))) (local.get $c30))
          (v128.store offset=16 (i32.add (local.get $pc) (i32.mul (local.get $rowB) (i32.const 3))) (local.get $c31))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $i4Loop)))
        ;; The last m % 4 rows, one at a time.
        (block $i1Done (loop $i1Loop
          (br_if $i1Done (i32.ge_u (local.get $i) (local.get $m)))
          (local.set $pc (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2))))
          (local.set $c00 (v128.load offset=0 (local.get $pc)))
          (local.set $c01 (v128.load offset=16 (local.get $pc)))
          (local.set $pa (i32.add (local.get $a) (i32.add (i32.mul (local.get $i) (local.get $aRowBytes)) (i32.mul (local.get $k0) (local.get $aColBytes)))))
          (local.set $paEnd (i32.add (local.get $pa) (i32.mul (i32.sub (local.get $kEnd) (local.get $k0)) (local.get $aColBytes))))
          (local.set $pb (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $k0) (local.get $n)) (local.get $j)) (i32.const 2))))
          (block $in1Done (loop $in1Loop
            (br_if $in1Done (i32.ge_u (local.get $pa) (local.get $paEnd)))
            (local.set $s (v128.load32_splat (local.get $pa)))
            (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $pb)))))
            (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $pb)))))
            (local.set $pa (i32.add (local.get $pa) (local.get $aColBytes)))
            (local.set $pb (i32.add (local.get $pb) (local.get $rowB)))
            (br $in1Loop)))
          (v128.store offset=0 (local.get $pc) (local.get $c00))
          (v128.store offset=16 (local.get $pc) (local.get $c01))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $i1Loop)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $jLoop)))
      (local.set $k0 (local.get $kEnd))
      (br $kLoop))))

  ;; Patch matrices of NHWC float32 images whose channel count is a multiple of 4 (the JS versions
  ;; are im2col and col2imAdd in kernels/im2col.ts). Rows are output pixels (b, oh, ow) of images
  ;; [b0, b0 + count), columns the filter taps (kh, kw, c). mode 0 (im2col): cols = the input values
  ;; under each tap, 0 in the padding. mode 1 (col2im): x += each tap's value at the pixel it was
  ;; read from (the adjoint).
  (func (export "patches")
    (param $x i32) (param $cols i32) (param $b0 i32) (param $count i32) (param $mode i32)
    (param $inH i32) (param $inW i32) (param $channels i32) (param $outH i32) (param $outW i32)
    (param $fh i32) (param $fw i32) (param $sh i32) (param $sw i32) (param $dh i32) (param $dw i32)
    (param $top i32) (param $left i32)
    (local $channelBytes i32)
    (local $b i32) (local $bEnd i32) (local $oh i32) (local $ow i32) (local $kh i32) (local $kw i32)
    (local $ih i32) (local $iw i32) (local $col i32) (local $xp i32) (local $j i32)
    (local.set $channelBytes (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $col (local.get $cols))
    (local.set $b (local.get $b0))
    (local.set $bEnd (i32.add (local.get $b0) (local.get $count)))
    (block $batchDone (loop $batchLoop
      (br_if $batchDone (i32.ge_s (local.get $b) (local.get $bEnd)))
      (local.set $oh (i32.const 0))
      (block $ohDone (loop $ohLoop
        (br_if $ohDone (i32.ge_s (local.get $oh) (local.get $outH)))
        (local.set $ow (i32.const 0))
        (block $owDone (loop $owLoop
          (br_if $owDone (i32.ge_s (local.get $ow) (local.get $outW)))
          (local.set $kh (i32.const 0))
          (block $khDone (loop $khLoop
            (br_if $khDone (i32.ge_s (local.get $kh) (local.get $fh)))
            (local.set $ih (i32.sub (i32.add (i32.mul (local.get $oh) (local.get $sh)) (i32.mul (local.get $kh) (local.get $dh))) (local.get $top)))
            (local.set $kw (i32.const 0))
            (block $kwDone (loop $kwLoop
              (br_if $kwDone (i32.ge_s (local.get $kw) (local.get $fw)))
              (local.set $iw (i32.sub (i32.add (i32.mul (local.get $ow) (local.get $sw)) (i32.mul (local.get $kw) (local.get $dw))) (local.get $left)))
              (if (i32.and
                    (i32.and (i32.ge_s (local.get $ih) (i32.const 0)) (i32.lt_s (local.get $ih) (local.get $inH)))
                    (i32.and (i32.ge_s (local.get $iw) (i32.const 0)) (i32.lt_s (local.get $iw) (local.get $inW))))
                (then
                  (local.set $xp (i32.add (local.get $x)
                    (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $inH)) (local.get $ih)) (local.get $inW)) (local.get $iw)) (local.get $channelBytes))))
                  (local.set $j (i32.const 0))
                  (if (i32.eqz (local.get $mode))
                    (then
                      (block $copyDone (loop $copyLoop
                        (br_if $copyDone (i32.ge_u (local.get $j) (local.get $channelBytes)))
                        (v128.store (i32.add (local.get $col) (local.get $j)) (v128.load (i32.add (local.get $xp) (local.get $j))))
                        (local.set $j (i32.add (local.get $j) (i32.const 16)))
                        (br $copyLoop))))
                    (else
                      (block $addDone (loop $addLoop
                        (br_if $addDone (i32.ge_u (local.get $j) (local.get $channelBytes)))
                        (v128.store (i32.add (local.get $xp) (local.get $j))
                          (f32x4.add (v128.load (i32.add (local.get $xp) (local.get $j))) (v128.load (i32.add (local.get $col) (local.get $j)))))
                        (local.set $j (i32.add (local.get $j) (i32.const 16)))
                        (br $addLoop))))))
                (else
                  (if (i32.eqz (local.get $mode))
                    (then (memory.fill (local.get $col) (i32.const 0) (local.get $channelBytes))))))
              (local.set $col (i32.add (local.get $col) (local.get $channelBytes)))
              (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
              (br $kwLoop)))
            (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
            (br $khLoop)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $owLoop)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $ohLoop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $batchLoop))))
)
