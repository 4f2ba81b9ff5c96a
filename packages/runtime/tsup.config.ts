import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker entry is loaded by DataParallelTrainer from next to the bundle (dist/data-parallel-worker.js).
  entry: { index: 'src/index.ts', 'data-parallel-worker': 'src/train/data-parallel-worker.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // import.meta.url in the CommonJS build (to find the worker entry).
  shims: true,
});
