import { project } from '../../vitest.shared.ts';

// Each test starts worker threads that load tfjs and the wasm backend: generous timeouts on a busy machine.
export default project('data-parallel', { timeoutMs: 120_000 });
