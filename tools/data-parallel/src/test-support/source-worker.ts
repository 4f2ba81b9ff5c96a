// Test-only: the worker module the tests hand to DataParallelTrainer (workerUrl), running the sources.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

// tsx's ESM entry (require.resolve would give the CommonJS one).
const TSX_API = new URL('./dist/esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json'))).href;
const WORKER_SOURCE = new URL('../data-parallel-worker.ts', import.meta.url).href;
// Maps @curvad/runtime to its sources for tsx, as vitest's aliases do on the test's thread: no build needed.
const WORKER_TSCONFIG = fileURLToPath(new URL('./worker-sources.tsconfig.json', import.meta.url));

/**
 * A `data:` module that loads data-parallel-worker.ts with tsx, with @curvad/runtime mapped to its
 * sources (worker threads do not see vitest's aliases).
 */
export const SOURCE_WORKER_URL = new URL(
  `data:text/javascript,${encodeURIComponent(
    `const { tsImport } = await import(${JSON.stringify(TSX_API)}); await tsImport(${JSON.stringify(WORKER_SOURCE)}, ${JSON.stringify({ parentURL: WORKER_SOURCE, tsconfig: WORKER_TSCONFIG })});`,
  )}`,
);
