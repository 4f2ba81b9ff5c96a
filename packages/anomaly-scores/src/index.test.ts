import { describe, expect, it } from 'vitest';
import * as api from './index';

describe('public API', () => {
  it('exports exactly the curated names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'AnomalyScoreError',
        'csiScore',
        'fitCsi',
        'NT_XENT_DEFAULT_TEMPERATURE',
        'ntXentLoss',
        'ELOC_DEFAULT_BETA',
        'ELOC_DEFAULT_EPSILON',
        'ELOC_DEFAULT_MARGIN',
        'ELOC_DEFAULT_TEMPERATURE',
        'elocScore',
        'marginEntropyLoss',
        'ODIN_DEFAULT_EPSILON',
        'ODIN_DEFAULT_TEMPERATURE',
        'divergenceScore',
        'energyScore',
        'fitKnn',
        'fitMahalanobis',
        'getDetector',
        'listDetectors',
        'registerDetector',
        'unregisterDetector',
        'hyperbolicScore',
        'maxLogitScore',
        'maxSoftmaxScore',
        'mixedDivergenceScore',
        'mixedScore',
        'odinPerturb',
        'odinScore',
        'oneMinusTanh',
        'RELEASED_WRONG_ROTATION_SCORE',
        'ROTATIONS',
        'releasedRotationScore',
        'rotateEachImage',
        'rotateImages',
        'rotationCrossEntropyScore',
        'sphericalScore',
      ].sort(),
    );
  });
});
