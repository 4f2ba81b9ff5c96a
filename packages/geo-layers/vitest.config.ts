import { mergeConfig } from 'vitest/config';
import { project } from '../../vitest.shared.ts';

// isolate: false runs this package's test files in shared workers: tfjs and the layers are imported
// once per worker instead of once per file, which is most of the run time on a busy 2-core machine.
// The files keep no global state between them except the tfjs backend, which the wasm test restores.
export default mergeConfig(project('geo-layers'), { test: { isolate: false } });
