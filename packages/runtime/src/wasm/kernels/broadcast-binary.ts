import {
  Add,
  type BinaryInputs,
  backend_util,
  type KernelConfig,
  type KernelFunc,
  Multiply,
  RealDiv,
  Sub,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { allocate, f32, release } from '../heap';
import { runOriginalKernel } from '../original-kernels';
import { type BroadcastOp, pointer, simdKernels } from '../simd/simd-module';
import type { WasmBackendInternals } from '../wasm-backend-internals';
import { channelRows, tileChannels } from './channel-rows';

/**
 * Add, Sub, Multiply and RealDiv for wasm when one float32 operand is a per-channel vector ([C],
 * [1, 1, 1, C], ...: only the last axis may differ from 1) and the other a contiguous tensor of any
 * rank whose last axis has those C channels: batch normalization's gradient, bias terms. The
 * backend runs these broadcasts through generic index arithmetic; here kernels.wat's
 * `broadcast_op` streams over rows of a multiple of lcm(C, 16) elements with the vector tiled to
 * one row, and a JS loop takes the last partial row: 0.3 against the backend's 0.7 ms of CPU time
 * for [32,32,32,64] x [64] (tools/bench/train-throughput-kernels.mjs).
 * Same-shape operands, scalars (XNNPACK has fast loops for them: as fast as ours or faster), other
 * broadcasts and other dtypes go to the backend's kernel.
 */

type BinaryKernelName = typeof Add | typeof Sub | typeof Multiply | typeof RealDiv;

/** broadcast_op's codes for (big, small) and (small, big) operand order. */
const OP_CODES: Record<BinaryKernelName, readonly [BroadcastOp, BroadcastOp]> = {
  [Add]: [0, 0],
  [Sub]: [1, 2],
  [Multiply]: [3, 3],
  [RealDiv]: [4, 5],
};

/** The same operations in JS (float64 on float32 operands, rounded once on store: the float32 result). */
const JS_OPS: Record<BroadcastOp, (big: number, small: number) => number> = {
  0: (p, q) => p + q,
  1: (p, q) => p - q,
  2: (p, q) => q - p,
  3: (p, q) => p * q,
  4: (p, q) => p / q,
  5: (p, q) => q / p,
};

export interface ChannelBroadcast {
  /** Whether `a` is the full-size operand (else `b` is). */
  bigIsA: boolean;
  /** Channels of the small operand: the output's last axis. */
  channels: number;
  outShape: number[];
}

/** The channel or scalar broadcast `a` op `b` is, or undefined when it is not one (or not float32). */
export function channelBroadcast(a: TensorInfo, b: TensorInfo): ChannelBroadcast | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const size = util.sizeFromShape(outShape);
  const aSize = util.sizeFromShape(a.shape);
  const bSize = util.sizeFromShape(b.shape);
  if (size === 0 || aSize === bSize) return undefined;
  // The full-size operand, padded with leading 1s, is the output shape: its data is laid out as the output.
  const bigIsA = aSize === size;
  if (!bigIsA && bSize !== size) return undefined;
  const small = bigIsA ? b : a;
  const smallSize = bigIsA ? bSize : aSize;
  // A scalar operand measured as fast or faster in the backend (XNNPACK has loops for it).
  if (smallSize === 1) return undefined;
  const channels = outShape[outShape.length - 1]!;
  if (smallSize === channels && small.shape[small.shape.length - 1] === channels) return { bigIsA, channels, outShape };
  return undefined;
}

function broadcastBinary(name: BinaryKernelName) {
  return (args: { inputs: BinaryInputs; backend: WasmBackendInternals }): TensorInfo => {
    const { inputs, backend } = args;
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const plan = channelBroadcast(a, b);
    if (plan === undefined) return runOriginalKernel(name, backend, inputs as Record<string, TensorInfo>);
    const { bigIsA, channels, outShape } = plan;
    const [big, small] = bigIsA ? [a, b] : [b, a];
    const op = OP_CODES[name][bigIsA ? 0 : 1];
    const size = util.sizeFromShape(outShape);
    const out = allocate(backend, outShape);
    const { width, rows } = channelRows(size, channels);
    const simd = simdKernels(backend);
    let done = 0;
    if (simd !== undefined && rows > 0) {
      const row = width === channels ? undefined : allocate(backend, [width]);
      if (row !== undefined) tileChannels(f32(backend, small), 0, channels, f32(backend, row), 0, width);
      const smallAt = pointer(backend, (row ?? small).dataId);
      simd.broadcast_op(op, pointer(backend, big.dataId), smallAt, pointer(backend, out.dataId), rows, width);
      if (row !== undefined) release(backend, row);
      done = rows * width;
    }
    if (done < size) {
      const bigv = f32(backend, big);
      const smallv = f32(backend, small);
      const outv = f32(backend, out);
      const fn = JS_OPS[op];
      for (let i = done; i < size; i++) outv[i] = fn(bigv[i]!, smallv[i % channels]!);
    }
    return out;
  };
}

function config(name: BinaryKernelName): KernelConfig {
  return { kernelName: name, backendName: 'wasm', kernelFunc: broadcastBinary(name) as unknown as KernelFunc };
}

export const addConfig = config(Add);
export const subConfig = config(Sub);
export const multiplyConfig = config(Multiply);
export const realDivConfig = config(RealDiv);
