// The curated public API: an accidental export or a removed one fails here (update the lists on purpose).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportedNames } from '../../../tools/test-setup/export-names';
import * as api from './index';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Run-time names of src/index.ts (checked against the module). */
const VALUES = [
  'ARCSIN_MAX',
  'ARSINH_LARGE',
  'ARTANH_MAX',
  'BALL_EPS',
  'CHECK_TOL',
  'Euclidean',
  'MIN_DENOMINATOR',
  'MIN_SQ_NORM',
  'ManifoldError',
  'PRODUCT_DIST_SQ_FLOOR',
  'PoincareBall',
  'ProductManifold',
  'RiemannianAdam',
  'RiemannianSGD',
  'SERIES_THRESHOLD',
  'SINH_CLAMP',
  'SPHERE_CHECK_TOL',
  'Sphere',
  'Stereographic',
  'TANH_CLAMP',
  'arsinK',
  'arsinh',
  'artanK',
  'artanh',
  'assertPointsInBall',
  'checkPointsInBall',
  'clampedTanh',
  'cosineLogits',
  'dist',
  'dist0',
  'egrad2rgrad',
  'expmap',
  'expmap0',
  'guardedNorm',
  'gyration',
  'inner',
  'lambda',
  'logmap',
  'logmap0',
  'mobiusAdd',
  'mobiusMatvec',
  'mobiusScalarMul',
  'project',
  'sinK',
  'tanK',
  'transp',
  'transp0',
  'transp0back',
];

/** Type-only names of src/index.ts (checked against its export statements). */
const TYPES = [
  'BallCheckOptions',
  'CheckPointsOption',
  'CosineLogitsOptions',
  'Curvature',
  'CurvatureInput',
  'EuclideanConstructor',
  'Manifold',
  'ManifoldCheck',
  'PoincareBallConstructor',
  'PointLayout',
  'ProductComponent',
  'RegisterOptions',
  'RiemannianAdamOptions',
  'RiemannianSGDOptions',
  'SphereOptions',
  'StepRule',
  'StereographicOptions',
  'VariableRef',
];

describe('public API', () => {
  it('@curvad/manifolds exports exactly the listed names', () => {
    expect(Object.keys(api).sort()).toEqual(VALUES);
    expect(exportedNames(join(SRC, 'index.ts'))).toEqual([...VALUES, ...TYPES].sort());
  });
});
