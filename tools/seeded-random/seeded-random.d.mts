/** A draw of uint32 values (integers in [0, 2^32)). */
export type Uint32Stream = () => number;
/** A draw of uniform floats in [0, 1). */
export type UniformStream = () => number;

/**
 * mulberry32 uint32 draws for `seed` (any finite number; reduced to its uint32 value as `seed >>> 0`
 * does). Throws a RangeError for NaN or an infinite seed.
 */
export function createUint32Stream(seed: number): Uint32Stream;

/** Uniform floats in [0, 1) with 2^-32 steps (Math.random's contract) for `seed`. */
export function createUniformStream(seed: number): UniformStream;

/** An integer in [0, n) from a uniform [0, 1) draw: floor(uniform() * n). */
export function uniformInteger(uniform: UniformStream, n: number): number;
