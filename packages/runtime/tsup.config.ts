import { packageBuild } from '../../tsup.shared';

export default packageBuild({
  // The worker entry is loaded by DataParallelTrainer from next to the bundle (dist/data-parallel-worker.js).
  entry: { index: 'src/index.ts', 'data-parallel-worker': 'src/train/data-parallel-worker.ts' },
  dts: { entry: { index: 'src/index.ts' } },
  // import.meta.url in the CommonJS build (to find the worker entry).
  shims: true,
});
