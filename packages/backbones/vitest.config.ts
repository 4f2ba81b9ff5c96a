import { mergeConfig } from 'vitest/config';
import { project } from '../../vitest.shared.ts';

// The test files share one module graph per worker (isolate: false): loading tfjs, tfjs-layers and the
// wasm binary again for every file costs more than most of the tests here on a shared 2-core machine.
// Each file picks its backend itself (the setup file resets cpu; wasm files call initBackend).
export default mergeConfig(project('backbones'), { test: { isolate: false } });
