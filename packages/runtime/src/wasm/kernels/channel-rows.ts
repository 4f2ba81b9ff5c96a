/**
 * How a per-channel operand (a [C] vector, or a scalar with C = 1) repeats over a contiguous
 * tensor whose last axis has C channels, cut into rows the SIMD loops can take: each row holds
 * `width` elements, a multiple of lcm(C, 16) (whole groups of four 4-float vectors, which the loops
 * take per step, starting at channel 0) and at least MIN_ROW_WIDTH (fewer channels would spend the
 * loop on row overhead), so the operand, tiled to `width` values, lines up with every row. The
 * `size - rows * width` elements after the rows (fewer than `width`) are left to a JS loop;
 * element i there has channel i % C.
 */
export interface ChannelRows {
  /** Elements per row: lcm(channels, 16) times a power of 2, at least MIN_ROW_WIDTH. */
  width: number;
  /** Whole rows in the tensor. */
  rows: number;
}

/** Floats per step of the SIMD loops (kernels.wat's broadcast_op and batch_norm). */
const STEP = 16;
export const MIN_ROW_WIDTH = 64;

export function channelRows(size: number, channels: number): ChannelRows {
  // Doubling C until it is a multiple of 16 gives lcm(C, 16).
  let width = channels;
  while (width % STEP !== 0) width *= 2;
  while (width < MIN_ROW_WIDTH) width *= 2;
  return { width, rows: Math.floor(size / width) };
}

/** Writes src[offset + c] for c < channels repeatedly into dst[at, at + width) (width % channels == 0). */
export function tileChannels(src: Float32Array, offset: number, channels: number, dst: Float32Array, at: number, width: number): void {
  for (let i = 0; i < width; i++) dst[at + i] = src[offset + (i % channels)]!;
}
