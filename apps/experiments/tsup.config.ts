import { packageBuild } from '../../tsup.shared';

// Three entries: the library, the queue worker (no tfjs at import) and the child process a worker
// runs each queued unit in (found beside the worker's module as queue-unit-child.js).
export default packageBuild({
  entry: { index: 'src/index.ts', queue: 'src/queue.ts', 'queue-unit-child': 'src/queue-unit-child.ts' },
  format: ['esm'],
});
