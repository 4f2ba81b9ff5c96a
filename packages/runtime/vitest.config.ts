import { mergeConfig } from 'vitest/config';
import { project } from '../../vitest.shared';

// The test files share one module graph per worker (isolate: false): loading tfjs-core, -layers
// and the wasm binary once instead of once per file keeps the run short on a busy 2-core machine.
// Files that change global state (backend, Math.random) restore it in afterEach.
export default mergeConfig(project('runtime'), { test: { isolate: false } });
