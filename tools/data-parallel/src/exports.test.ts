// The curated public API: an accidental export or a removed one fails here (update the lists on purpose).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportedNames } from '../../test-setup/export-names';
import * as api from './index';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Run-time names of src/index.ts (checked against the module). */
const VALUES = ['DATA_PARALLEL_LOSSES', 'DataParallelError', 'DataParallelTrainer'];

/** Type-only names of src/index.ts (checked against its export statements). */
const TYPES = ['DataParallelLoss', 'DataParallelModel', 'DataParallelStepTimings', 'DataParallelTrainerOptions', 'WorkerStepTimings'];

describe('public API', () => {
  it('@curvad/data-parallel exports exactly the listed names', () => {
    expect(Object.keys(api).sort()).toEqual(VALUES);
    expect(exportedNames(join(SRC, 'index.ts'))).toEqual([...VALUES, ...TYPES].sort());
  });
});
