import { mergeConfig } from 'vitest/config';
import { project } from '../../vitest.shared.ts';

// No tfjs setup: only src/tfjs/tensors.test.ts uses tfjs, and it registers the cpu backend itself.
// isolate: false shares one module graph between the test files of a worker, so sharp, fast-check
// and the readers are imported once rather than once per file (the files restore any env they touch).
export default mergeConfig(project('datasets', { tfjs: false }), { test: { isolate: false } });
