/**
 * Fused forms of the three hot row operations, Moebius addition, the geodesic distance and the
 * exponential map at 0: one tfjs kernel each instead of the dozens of elementwise kernels the
 * tensor formulas in stereographic/math.ts dispatch (each a full pass over [n, d]). Registered for
 * tfjs-backend-wasm (SIMD row passes over its heap, wasm-kernels.ts) and the cpu backend
 * (cpu-kernels.ts), on first use, so importing the package registers nothing. Other backends, and
 * inputs the kernels do not cover (broadcasting shapes, non-float32, empty, k the number 0), get
 * null back and the caller uses the tensor formulas.
 *
 * Gradients: while a gradient tape records (inside tf.grad, tf.variableGrads, optimizer.minimize,
 * model.fit), the functions return null and the caller's tensor formulas run, so training
 * differentiates exactly the formulas the package tests. The fused kernels serve everything else:
 * inference, scoring, evaluation. (Differentiating the formulas from inside a kernel's gradient,
 * with a nested tf.grads, breaks tfjs 4's tape bookkeeping.)
 */
import * as tf from '@tensorflow/tfjs-core';

import type { Curvature } from '../stereographic/curvature-trig';
import { cpuDist, cpuExpmap0, cpuMobiusAdd } from './cpu-kernels';
import { rowKernelsFor, type WasmBackendLike } from './row-kernels-instance';
import { wasmDist, wasmExpmap0, wasmMobiusAdd } from './wasm-kernels';

export const FUSED_MOBIUS_ADD = 'CurvadMobiusAdd';
export const FUSED_DIST = 'CurvadDist';
export const FUSED_EXPMAP0 = 'CurvadExpmap0';

const KERNELS: Record<'cpu' | 'wasm', Record<string, tf.KernelFunc>> = {
  cpu: { [FUSED_MOBIUS_ADD]: cpuMobiusAdd, [FUSED_DIST]: cpuDist, [FUSED_EXPMAP0]: cpuExpmap0 },
  wasm: { [FUSED_MOBIUS_ADD]: wasmMobiusAdd, [FUSED_DIST]: wasmDist, [FUSED_EXPMAP0]: wasmExpmap0 },
};

/**
 * Name of the current backend when the fused kernels can and may run (no gradient tape recording;
 * the kernels get registered then), else null.
 */
function fusedBackend(): 'cpu' | 'wasm' | null {
  if (tf.engine().isTapeOn()) return null;
  const name = tf.getBackend();
  if (name !== 'cpu' && name !== 'wasm') return null;
  if (name === 'wasm' && !rowKernelsFor(tf.backend() as unknown as WasmBackendLike)) return null;
  for (const [kernelName, kernelFunc] of Object.entries(KERNELS[name])) {
    if (!tf.getKernel(kernelName, name)) tf.registerKernel({ kernelName, backendName: name, kernelFunc });
  }
  return name;
}

function fusable(t: tf.Tensor): boolean {
  return t.dtype === 'float32' && t.rank >= 1 && t.size > 0;
}

function sameShape(a: tf.Tensor, b: tf.Tensor): boolean {
  return a.rank === b.rank && a.shape.every((s, i) => s === b.shape[i]);
}

/** The fused kernels take k as a scalar float32 tensor; a number k of 0 keeps the exact flat formulas. */
function curvatureOk(k: Curvature): boolean {
  return typeof k === 'number' ? k !== 0 && Number.isFinite(k) : k.dtype === 'float32' && k.size === 1;
}

/** Runs `kernelName` on the named inputs and k (a scalar tensor; a number k becomes one for the call). */
function runFused(kernelName: string, inputs: tf.NamedTensorMap, k: Curvature, attrs: tf.NamedAttrMap = {}): tf.Tensor {
  const kTensor = typeof k === 'number' ? tf.scalar(k) : k.rank === 0 ? k : tf.reshape(k, []);
  try {
    return tf.engine().runKernel(kernelName, { ...inputs, k: kTensor }, attrs) as tf.Tensor;
  } finally {
    if (kTensor !== k) kTensor.dispose();
  }
}

/** x (+)_k y, projected into the ball when `project` (and k < 0); null when not fusable here. */
export function fusedMobiusAdd(x: tf.Tensor, y: tf.Tensor, k: Curvature, project: boolean): tf.Tensor | null {
  if (!fusable(x) || !sameShape(x, y) || y.dtype !== 'float32' || !curvatureOk(k) || !fusedBackend()) return null;
  return runFused(FUSED_MOBIUS_ADD, { x, y }, k, { project });
}

/** Geodesic distance over the last axis (dropped); null when not fusable here. */
export function fusedDist(x: tf.Tensor, y: tf.Tensor, k: Curvature): tf.Tensor | null {
  if (!fusable(x) || !sameShape(x, y) || y.dtype !== 'float32' || !curvatureOk(k) || !fusedBackend()) return null;
  return runFused(FUSED_DIST, { x, y }, k);
}

/** Exponential map at 0, projected into the ball when `project` (and k < 0); null when not fusable here. */
export function fusedExpmap0(u: tf.Tensor, k: Curvature, project: boolean): tf.Tensor | null {
  if (!fusable(u) || !curvatureOk(k) || !fusedBackend()) return null;
  return runFused(FUSED_EXPMAP0, { u }, k, { project });
}
