import { mergeConfig } from 'vitest/config';
import { project } from '../../vitest.shared.ts';

// isolate: false lets the test files of a worker share one tfjs import (about 1.5 s each on the
// shared machine, most of this package's test time). The tests only compare tensor counts before
// and after their own calls, so sharing the engine between files is safe.
export default mergeConfig(project('anomaly-scores'), { test: { isolate: false } });
