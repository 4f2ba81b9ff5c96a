// The curated public API: an accidental export or a removed one fails here (update the lists on purpose).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportedNames } from '../../../tools/test-setup/export-names';
import * as api from './index';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Run-time names of src/index.ts (checked against the module). */
const VALUES = [
  'DEFAULT_PRO_FPR_LIMIT',
  'DEFAULT_TPR_LEVEL',
  'MetricsError',
  'auprIn',
  'auprOut',
  'aupro',
  'auroc',
  'bootstrapInterval',
  'connectedComponents',
  'detectionError',
  'downsampleCurve',
  'evaluate',
  'formatTableCell',
  'fprAtAnomalyRecall',
  'fprAtTpr',
  'mean',
  'meanIou',
  'perImagePixelMetrics',
  'pooledPixelMetrics',
  'prCurve',
  'proCurve',
  'rocCurve',
  'sampleStd',
  'summarizeTrials',
];

/** Type-only names of src/index.ts (checked against its export statements). */
const TYPES = [
  'BootstrapOptions',
  'ConnectedComponents',
  'DetectionMetrics',
  'Interval',
  'Labels',
  'MeanIou',
  'MeanIouOptions',
  'MetricsErrorCode',
  'PerImagePixelMetrics',
  'PixelData',
  'PositiveClass',
  'PrCurve',
  'ProCurve',
  'RocCurve',
  'Scores',
  'TableCellOptions',
  'TrialSummary',
];

describe('public API', () => {
  it('@curvad/metrics exports exactly the listed names', () => {
    expect(Object.keys(api).sort()).toEqual(VALUES);
    expect(exportedNames(join(SRC, 'index.ts'))).toEqual([...VALUES, ...TYPES].sort());
  });
});
