import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { aupro, integrateProCurve, proCurve } from './aupro';
import { connectedComponents } from './connected-components';
import type { PixelData } from './pixel-data';

/** Two 5x5 images: image 0 has a diagonal 2-pixel region and a 4-pixel block; image 1 is normal (44 normal pixels). */
function twoRegionData(): PixelData {
  const masks = new Uint8Array(50);
  const maps = new Float32Array(50);
  const at = (image: number, r: number, c: number) => image * 25 + r * 5 + c;
  const region1 = [at(0, 0, 0), at(0, 1, 1)];
  const region2 = [at(0, 3, 3), at(0, 3, 4), at(0, 4, 3), at(0, 4, 4)];
  for (const p of [...region1, ...region2]) masks[p] = 1;
  maps[region1[0]!] = 0.9;
  maps[region1[1]!] = 0.2;
  [0.8, 0.8, 0.5, 0.5].forEach((s, k) => {
    maps[region2[k]!] = s;
  });
  // 4 normal pixels at 0.7 and 4 at 0.3 (FPR 1/11 and 2/11 of the 44 normal pixels); the rest 0.
  for (const p of [at(0, 0, 2), at(0, 2, 2), at(1, 0, 0), at(1, 4, 4)]) maps[p] = 0.7;
  for (const p of [at(0, 2, 0), at(1, 1, 1), at(1, 2, 2), at(1, 3, 3)]) maps[p] = 0.3;
  return { anomalyMaps: maps, masks, shape: [2, 5, 5] };
}

/** Reference: every distinct score a threshold, FPR and PRO counted directly per region. */
function referenceAupro(data: PixelData, limit: number): number {
  const [images, h, w] = data.shape;
  const regionPixels: number[][] = [];
  const normalPixels: number[] = [];
  for (let i = 0; i < images; i++) {
    const mask = data.masks.subarray(i * h * w, (i + 1) * h * w);
    const { labels, count } = connectedComponents(mask, h, w);
    const regions: number[][] = Array.from({ length: count }, () => []);
    labels.forEach((l, p) => {
      if (l === 0) normalPixels.push(i * h * w + p);
      else regions[l - 1]!.push(i * h * w + p);
    });
    regionPixels.push(...regions);
  }
  const s = data.anomalyMaps;
  const thresholds = [...new Set(Array.from(s))].sort((a, b) => b - a);
  const fpr = [0];
  const pro = [0];
  for (const t of thresholds) {
    fpr.push(normalPixels.filter((p) => s[p]! >= t).length / normalPixels.length);
    pro.push(regionPixels.reduce((sum, r) => sum + r.filter((p) => s[p]! >= t).length / r.length, 0) / regionPixels.length);
  }
  let area = 0;
  for (let k = 1; k < fpr.length; k++) {
    const [f0, f1, p0, p1] = [fpr[k - 1]!, fpr[k]!, pro[k - 1]!, pro[k]!];
    if (f1 <= limit) {
      area += ((f1 - f0) * (p0 + p1)) / 2;
    } else {
      const pl = p0 + ((p1 - p0) * (limit - f0)) / (f1 - f0);
      area += ((limit - f0) * (p0 + pl)) / 2;
      break;
    }
  }
  return area / limit;
}

describe('aupro', () => {
  it('is 1 for a perfect map', () => {
    const masks = Uint8Array.from([0, 1, 1, 0, 0, 0, 0, 0, 1]);
    const maps = Float32Array.from(masks, (m) => m * 3);
    expect(aupro({ anomalyMaps: maps, masks, shape: [1, 3, 3] })).toBe(1);
  });

  it('is limit/2 (so 0.15 at 0.3) when every pixel has the same score: one diagonal segment', () => {
    const data: PixelData = {
      anomalyMaps: new Float32Array(8).fill(0.5),
      masks: Uint8Array.from([1, 0, 0, 0, 0, 0, 1, 0]),
      shape: [2, 2, 2],
    };
    expect(aupro(data)).toBeCloseTo(0.15, 15);
    expect(aupro(data, { fprLimit: 1 })).toBeCloseTo(0.5, 15);
  });

  it('two regions, 8-connected, by hand: 17/22', () => {
    // Curve: (0,0) (0,1/4) (0,1/2) (1/11,1/2) (1/11,3/4) (2/11,3/4) (2/11,1) (1,1).
    // Area to 0.3: 0.5/11 + 0.75/11 + 1 x (0.3 - 2/11) = 0.3 - 0.75/11; divided by 0.3 -> 1 - 5/22.
    const data = twoRegionData();
    const curve = proCurve(data);
    expect(curve.regions).toBe(2);
    expect(Array.from(curve.fpr)).toEqual([0, 0, 0, 1 / 11, 1 / 11, 2 / 11, 2 / 11, 1]);
    expect(Array.from(curve.pro).map((p) => Math.round(p * 1e12) / 1e12)).toEqual([0, 0.25, 0.5, 0.5, 0.75, 0.75, 1, 1]);
    expect(aupro(data)).toBeCloseTo(17 / 22, 14);
    // Up to FPR 0.1 the cut falls inside the flat part at PRO 0.75: (0.5/11 + 0.75 (0.1 - 1/11)) / 0.1.
    expect(aupro(data, { fprLimit: 0.1 })).toBeCloseTo((0.5 / 11 + 0.75 * (0.1 - 1 / 11)) / 0.1, 14);
  });

  it('integrates a diagonal segment cut at the limit by linear interpolation', () => {
    const curve = { fpr: Float64Array.from([0, 0.2, 0.6]), pro: Float64Array.from([0, 0.4, 0.8]) };
    // 0 to 0.2: 0.2 x (0 + 0.4) / 2 = 0.04; 0.2 to 0.4: PRO rises from 0.4 to 0.6 there, 0.2 x 0.5 = 0.1.
    expect(integrateProCurve(curve, 0.4)).toBeCloseTo(0.04 + 0.1, 15);
  });

  it('rejects masks without regions, all-anomalous masks and bad limits', () => {
    const maps = new Float32Array(4);
    expect(() => aupro({ anomalyMaps: maps, masks: new Uint8Array(4), shape: [1, 2, 2] })).toThrow(/no mask has an anomalous/);
    expect(() => aupro({ anomalyMaps: maps, masks: new Uint8Array(4).fill(1), shape: [1, 2, 2] })).toThrow(/every pixel is anomalous/);
    expect(() => aupro(twoRegionData(), { fprLimit: 0 })).toThrow(/fprLimit/);
  });

  test.prop(
    [
      fc.integer({ min: 1, max: 3 }),
      fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5 })), { minLength: 3 * 16, maxLength: 3 * 16 }),
      fc.constantFrom(0.3, 0.05, 1),
    ],
    { numRuns: 200 },
  )('matches the per-threshold reference on random 4x4 masks with tied scores', (images, pixels, limit) => {
    const used = pixels.slice(0, images * 16);
    const masks = Uint8Array.from(used, ([m]) => (m ? 1 : 0));
    const anomalous = masks.reduce((a, b) => a + b, 0);
    fc.pre(anomalous > 0 && anomalous < masks.length);
    const data: PixelData = { anomalyMaps: Float32Array.from(used, ([, s]) => s / 4), masks, shape: [images, 4, 4] };
    const value = aupro(data, { fprLimit: limit });
    expect(value).toBeCloseTo(referenceAupro(data, limit), 12);
    // The streaming integral inside aupro and the integral of the returned curve are the same sum.
    expect(value).toBe(integrateProCurve(proCurve(data), limit) / limit);
  });
});
