// Test-only: run a computation with tfjs' own gradient for a kernel instead of registerLeanGradients' one.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { registerLeanGradients, tfjsOwnGradient } from '../gradients/register-lean-gradients';

/**
 * Registers the lean gradients (and the wasm backend's readiness is the caller's), then returns
 * `withTfjsOwn(fn)`: runs `fn` with tfjs' own gradient for `kernelName` registered, ours again after.
 */
export function tfjsOwnGradientRunner(kernelName: string): <T>(fn: () => T) => T {
  registerLeanGradients();
  const own = tfjsOwnGradient(kernelName);
  if (own === undefined) throw new Error(`tfjs has no gradient registered for ${kernelName}`);
  return <T>(fn: () => T): T => {
    const lean = tf.getGradient(kernelName);
    expect(lean).not.toBe(own);
    tf.registerGradient(own);
    try {
      return fn();
    } finally {
      tf.registerGradient(lean);
    }
  };
}
