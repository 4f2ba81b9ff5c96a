import { mergeConfig } from 'vitest/config';
import { project } from '../../vitest.shared.ts';

// The test files share one module graph per worker (isolate: false): loading tfjs-core, -layers
// and the wasm binary once instead of once per file keeps the run short on a busy 2-core machine.
// Files that change global state (backend, Math.random) restore it in afterEach. The generous
// per-test timeout is for the cpu-backend references when the shared machine is overloaded.
export default mergeConfig(project('runtime', { timeoutMs: 120_000 }), { test: { isolate: false } });
