// @curvad/manifolds public API. Curated: nothing internal is exported.

export { ManifoldError } from './errors';
export type { Manifold, ManifoldCheck } from './manifold';

// ---- kappa-stereographic model (Stereographic, PoincareBall, Euclidean) and its functional core ----
export {
  Euclidean,
  PoincareBall,
  Stereographic,
  type CurvatureInput,
  type EuclideanConstructor,
  type PoincareBallConstructor,
  type StereographicOptions,
} from './stereographic/stereographic';
export { assertPointsInBall, checkPointsInBall, type BallCheckOptions } from './stereographic/ball-check';
// mobiusAdd, dist and expmap0 reach the fused kernels the same way the class does (dispatch.ts).
export { dist, expmap0, mobiusAdd } from './stereographic/dispatch';
export {
  dist0,
  egrad2rgrad,
  expmap,
  gyration,
  inner,
  lambda,
  logmap,
  logmap0,
  mobiusMatvec,
  mobiusScalarMul,
  project,
  transp,
  transp0,
  transp0back,
} from './stereographic/math';
export { arsinK, artanK, sinK, tanK, type Curvature } from './stereographic/curvature-trig';
export { arsinh, artanh, clampedTanh, guardedNorm } from './stereographic/elementary';
export {
  ARCSIN_MAX,
  ARSINH_LARGE,
  ARTANH_MAX,
  BALL_EPS,
  CHECK_TOL,
  MIN_DENOMINATOR,
  MIN_SQ_NORM,
  SERIES_THRESHOLD,
  SINH_CLAMP,
  TANH_CLAMP,
} from './stereographic/constants';

// ---- embedded sphere, product manifolds, Riemannian optimizers ----
export { Sphere, SPHERE_CHECK_TOL, type SphereOptions } from './sphere/sphere';
export type { CheckPointsOption } from './check-points-option';
export { cosineLogits, type CosineLogitsOptions } from './sphere/cosine-logits';
export { ProductManifold, PRODUCT_DIST_SQ_FLOOR, type ProductComponent } from './product/product-manifold';
export { RiemannianAdam, type RiemannianAdamOptions } from './optim/riemannian-adam';
export { RiemannianSGD, type RiemannianSGDOptions } from './optim/riemannian-sgd';
export type { PointLayout, RegisterOptions, StepRule, VariableRef } from './optim/riemannian-optimizer';
// ---- end of block ----
