// @curvad/manifolds public API. Curated: nothing internal is exported.

export type { CheckPointsOption } from './check-points-option';
export { ManifoldError } from './errors';
export type { Manifold, ManifoldCheck } from './manifold';
export { RiemannianAdam, type RiemannianAdamOptions } from './optim/riemannian-adam';
export type { PointLayout, RegisterOptions, StepRule, VariableRef } from './optim/riemannian-optimizer';
export { RiemannianSGD, type RiemannianSGDOptions } from './optim/riemannian-sgd';
export { PRODUCT_DIST_SQ_FLOOR, type ProductComponent, ProductManifold } from './product/product-manifold';
export { type CosineLogitsOptions, cosineLogits } from './sphere/cosine-logits';
// ---- embedded sphere, product manifolds, Riemannian optimizers ----
export { SPHERE_CHECK_TOL, Sphere, type SphereOptions } from './sphere/sphere';
export { assertPointsInBall, type BallCheckOptions, checkPointsInBall } from './stereographic/ball-check';
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
export { arsinK, artanK, type Curvature, sinK, tanK } from './stereographic/curvature-trig';
// mobiusAdd, dist and expmap0 reach the fused kernels the same way the class does (dispatch.ts).
export { dist, expmap0, mobiusAdd } from './stereographic/dispatch';
export { arsinh, artanh, clampedTanh, guardedNorm } from './stereographic/elementary';
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
// ---- kappa-stereographic model (Stereographic, PoincareBall, Euclidean) and its functional core ----
export {
  type CurvatureInput,
  Euclidean,
  type EuclideanConstructor,
  PoincareBall,
  type PoincareBallConstructor,
  Stereographic,
  type StereographicOptions,
} from './stereographic/stereographic';
// ---- end of block ----
