// ODIN's synthetic OOD sets (Liang et al. 2018): Gaussian and uniform noise images, generated as float32.
import { createRng } from '@curvad/datasets';
import type { FloatImages } from '../../../core/eval-images';

/** ODIN's noise sets: per pixel N(0.5, 1) clipped to [0, 1], or U[0, 1]; seeded. */
export function noiseImages(kind: 'gaussian' | 'uniform', count: number, like: readonly number[], seed: number): FloatImages {
  const [, h, w, c] = like as [number, number, number, number];
  const rng = createRng(seed);
  const x = new Float32Array(count * h * w * c);
  for (let i = 0; i < x.length; i++) {
    if (kind === 'uniform') x[i] = rng();
    else {
      // Box-Muller from two uniforms in (0, 1].
      const u = 1 - rng();
      const v = rng();
      const g = 0.5 + Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      x[i] = Math.min(1, Math.max(0, g));
    }
  }
  return { x, shape: [count, h, w, c] };
}
