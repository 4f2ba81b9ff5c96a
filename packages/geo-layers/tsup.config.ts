import { packageBuild } from '../../tsup.shared';

export default packageBuild({
  // Two entries: the layers and heads, and `@curvad/geo-layers/scores` (the bindings to
  // @curvad/anomaly-scores), so the main entry never loads the scores package.
  entry: ['src/index.ts', 'src/scores.ts'],
  // One copy of the shared modules (layer classes, their tfjs registration) for both entries, in
  // the CommonJS build too (esbuild splits ESM by default, CJS only when asked).
  splitting: true,
});
