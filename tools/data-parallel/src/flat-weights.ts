import type * as tf from '@tensorflow/tfjs-core';

/** Offsets of each variable in one flat Float32Array holding all of them back to back; the last entry is the total. */
export function flatOffsets(variables: ReadonlyArray<Pick<tf.Variable, 'size'>>): number[] {
  const offsets = [0];
  for (const v of variables) offsets.push(offsets[offsets.length - 1]! + v.size);
  return offsets;
}

/** A Float32Array over a new SharedArrayBuffer of `length` floats. */
export function sharedFloats(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT));
}
