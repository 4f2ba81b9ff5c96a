import { packageBuild } from '../../tsup.shared';

export default packageBuild({
  // The worker entry is loaded by DataParallelTrainer from next to the bundle (dist/data-parallel-worker.js).
  entry: { index: 'src/index.ts', 'data-parallel-worker': 'src/data-parallel-worker.ts' },
  dts: { entry: { index: 'src/index.ts' } },
  // ESM only: a private tool whose one consumer (tools/bench) is ESM, and import.meta.url finds the worker entry.
  format: ['esm'],
});
