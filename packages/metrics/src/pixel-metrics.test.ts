import { describe, expect, it } from 'vitest';
import { MetricsError } from './errors';
import { evaluate } from './evaluate';
import type { PixelData } from './pixel-data';
import { perImagePixelMetrics, pooledPixelMetrics } from './pixel-metrics';

// Three 2x3 images: image 1 has no anomaly (skipped per image), masks use 255 for anomalous.
const maps = Float32Array.from([
  0.9,
  0.1,
  0.2,
  0.8,
  0.3,
  0.3, // image 0: anomalies at 0.9 and 0.3 (tied with a normal pixel)
  0.5,
  0.4,
  0.1,
  0.0,
  0.2,
  0.7, // image 1: all normal
  0.6,
  0.6,
  0.1,
  0.2,
  0.9,
  0.0, // image 2: one anomaly at 0.6, tied with a normal pixel
]);
const masks = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 0, 0]);
const data: PixelData = { anomalyMaps: maps, masks, shape: [3, 2, 3] };

describe('pooledPixelMetrics', () => {
  it('is evaluate over every pixel of every image', () => {
    const labels = Array.from(masks, (m) => (m ? 1 : 0));
    expect(pooledPixelMetrics(data)).toEqual(evaluate(maps, labels));
  });

  it('hand-checked AUROC: 3 anomalous x 15 normal pixels', () => {
    // Normals: 0.1 0.2 0.8 0.3 | 0.5 0.4 0.1 0.0 0.2 0.7 | 0.6 0.1 0.2 0.9 0.0. Each anomaly beats the
    // normals below it and ties one: 0.9 -> 14 + 1/2, 0.6 -> 11 + 1/2, 0.3 -> 8 + 1/2.
    expect(pooledPixelMetrics(data).auroc).toBeCloseTo((14.5 + 11.5 + 8.5) / 45, 15);
  });

  it('rejects all-normal masks, bad shapes and NaN maps with MetricsError', () => {
    const normal: PixelData = { anomalyMaps: maps, masks: new Uint8Array(18), shape: [3, 2, 3] };
    expect(() => pooledPixelMetrics(normal)).toThrow(/every pixel of every mask has the same class/);
    expect(() => pooledPixelMetrics({ ...data, shape: [3, 3, 3] })).toThrow(/needs 27 pixels/);
    expect(() => pooledPixelMetrics({ ...data, shape: [3, 2] as unknown as [number, number, number] })).toThrow(MetricsError);
    const bad = maps.slice();
    bad[7] = NaN;
    expect(() => pooledPixelMetrics({ ...data, anomalyMaps: bad })).toThrow(/image 1 has NaN at pixel 1/);
  });
});

describe('perImagePixelMetrics', () => {
  it('averages over images with both classes and reports the skipped ones', () => {
    const result = perImagePixelMetrics(data);
    expect(result.evaluatedImages).toBe(2);
    expect(result.skippedImages).toBe(1);
    expect(result.skippedImageIndices).toEqual([1]);
    expect(result.images[1]).toBeNull();
    const first = evaluate(maps.subarray(0, 6), [1, 0, 0, 0, 1, 0]);
    const third = evaluate(maps.subarray(12, 18), [1, 0, 0, 0, 0, 0]);
    expect(result.images[0]).toEqual(first);
    expect(result.images[2]).toEqual(third);
    for (const key of Object.keys(first) as Array<keyof typeof first>) {
      expect(result.mean[key]).toBeCloseTo((first[key] + third[key]) / 2, 15);
    }
    // Image 2 by hand: the anomaly at 0.6 beats 0.1, 0.2, 0.0 and ties 0.6 out of 5 normals.
    expect(third.auroc).toBeCloseTo(3.5 / 5, 15);
  });

  it('throws when no image has both classes', () => {
    const normal: PixelData = { anomalyMaps: maps, masks: new Uint8Array(18), shape: [3, 2, 3] };
    expect(() => perImagePixelMetrics(normal)).toThrow(/none of the 3 images/);
  });
});
