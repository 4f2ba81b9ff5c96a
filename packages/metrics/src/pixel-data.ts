import { checkArrayLike, describeInput } from './array-input';
import { MetricsError } from './errors';

/**
 * Segmentation output and ground truth for a set of images of one size, stacked row-major:
 * pixel (i, r, c) is at index (i * height + r) * width + c in both arrays.
 */
export interface PixelData {
  /** Anomaly maps; higher = more anomalous. */
  readonly anomalyMaps: Float32Array;
  /** Ground-truth masks; nonzero = anomalous pixel (so 0/1 and 0/255 masks both work). */
  readonly masks: Uint8Array;
  /** [images, height, width]. */
  readonly shape: readonly [number, number, number];
}

/** Checks shapes and finiteness; returns [images, height, width]. */
export function checkPixelData(data: PixelData, what: string): [number, number, number] {
  if (typeof data !== 'object' || data === null) {
    throw new MetricsError(
      'bad-input',
      `${what}: data is ${describeInput(data)}; pass { anomalyMaps: Float32Array, masks: Uint8Array, shape: [images, height, width] }.`,
    );
  }
  const shape = data.shape;
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new MetricsError('bad-shape', `${what}: shape is ${JSON.stringify(shape)}; pass [images, height, width] with positive integers.`);
  }
  const [images, height, width] = shape;
  const size = images * height * width;
  checkArrayLike(data.anomalyMaps, 'anomalyMaps', what, 'anomaly scores (a Float32Array, higher = more anomalous)');
  checkArrayLike(data.masks, 'masks', what, 'mask pixels (a Uint8Array, nonzero = anomalous)');
  if (!(data.anomalyMaps instanceof Float32Array) || !(data.masks instanceof Uint8Array)) {
    throw new MetricsError(
      'bad-shape',
      `${what}: anomalyMaps must be a Float32Array and masks a Uint8Array; convert with Float32Array.from(maps) and Uint8Array.from(masks).`,
    );
  }
  if (data.anomalyMaps.length !== size || data.masks.length !== size) {
    throw new MetricsError(
      'length-mismatch',
      `${what}: shape [${shape.join(', ')}] needs ${size} pixels, but anomalyMaps has ${data.anomalyMaps.length} ` +
        `and masks ${data.masks.length}; resize maps and masks to the same size and stack them.`,
    );
  }
  const maps = data.anomalyMaps;
  for (let i = 0; i < size; i++) {
    if (!Number.isFinite(maps[i]!)) {
      const image = Math.floor(i / (height * width));
      throw new MetricsError(
        'non-finite-score',
        `${what}: anomaly map of image ${image} has ${maps[i]} at pixel ${i - image * height * width}; anomaly maps must be finite.`,
      );
    }
  }
  return [images, height, width];
}
