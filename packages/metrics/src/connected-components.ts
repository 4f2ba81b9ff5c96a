import { checkArrayLike } from './array-input';
import { MetricsError } from './errors';

/** Result of `connectedComponents`: label 0 is background, regions are 1..count. */
export interface ConnectedComponents {
  readonly labels: Int32Array;
  readonly count: number;
  /** sizes[r] = number of pixels of region r (sizes[0] = background pixels). */
  readonly sizes: Uint32Array;
}

// The 8 neighbours: rows and columns offsets.
const NEIGHBOUR_ROWS = [-1, -1, -1, 0, 0, 1, 1, 1] as const;
const NEIGHBOUR_COLS = [-1, 0, 1, -1, 1, -1, 0, 1] as const;

/**
 * 8-connected components of a binary mask (nonzero = foreground) of `height x width` pixels,
 * row-major, as MVTec AD / anomalib define ground-truth regions for the PRO metric. A flood fill
 * with an explicit stack: O(pixels), no recursion depth limit.
 */
export function connectedComponents(mask: Uint8Array, height: number, width: number): ConnectedComponents {
  checkArrayLike(mask, 'mask', 'connectedComponents', 'pixels (a Uint8Array, nonzero = foreground), row-major');
  if (!Number.isInteger(height) || !Number.isInteger(width) || height <= 0 || width <= 0 || mask.length !== height * width) {
    throw new MetricsError(
      'bad-shape',
      `connectedComponents: a mask of ${mask.length} pixels does not match height ${height} x width ${width}.`,
    );
  }
  const labels = new Int32Array(mask.length);
  const stack = new Int32Array(mask.length);
  const sizes: number[] = [0];
  let count = 0;
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0) {
      sizes[0]!++;
      continue;
    }
    if (labels[start] !== 0) continue;
    count++;
    let size = 0;
    let top = 0;
    stack[top++] = start;
    labels[start] = count;
    while (top > 0) {
      const p = stack[--top]!;
      size++;
      const row = Math.floor(p / width);
      const col = p - row * width;
      for (let k = 0; k < 8; k++) {
        const r = row + NEIGHBOUR_ROWS[k]!;
        const c = col + NEIGHBOUR_COLS[k]!;
        if (r < 0 || r >= height || c < 0 || c >= width) continue;
        const q = r * width + c;
        if (mask[q] !== 0 && labels[q] === 0) {
          labels[q] = count;
          stack[top++] = q;
        }
      }
    }
    sizes.push(size);
  }
  return { labels, count, sizes: Uint32Array.from(sizes) };
}
