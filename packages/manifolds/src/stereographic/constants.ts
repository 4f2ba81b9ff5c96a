/**
 * Numerical constants of the kappa-stereographic model. tfjs computes in float32 only, so each
 * value is chosen for float32 (unit roundoff 6e-8, smallest normal 1.2e-38); the package README
 * lists them with their consequences.
 */

/** Floor of a squared norm before a sqrt: keeps sqrt's gradient finite at the zero vector (norm floor 1e-15). */
export const MIN_SQ_NORM = 1e-30;

/** Floor of Moebius / gyration / conformal denominators: only reached at the sphere's point at infinity or outside the ball. */
export const MIN_DENOMINATOR = 1e-15;

/**
 * |k| * r^2 below which tan_k, artan_k, sin_k, arsin_k use their series in k r^2 (terms up to (k r^2)^3,
 * truncation error < 1.2e-9 here). The series makes them continuous and differentiable through k = 0 and
 * exact for tiny norms; above it the closed forms are accurate to float32 roundoff.
 */
export const SERIES_THRESHOLD = 1e-2;

/** artanh argument clamp: 1 - 1e-7 rounds to 0.99999988 in float32; 2 artanh of it is 16.6 (largest ball distance * sqrt|k|). */
export const ARTANH_MAX = 1 - 1e-7;

/** arcsin argument clamp (k > 0): keeps the gradient 1 / sqrt(1 - x^2) finite at the sphere's equator of the chart. */
export const ARCSIN_MAX = 1 - 1e-7;

/** tanh input clamp: tanh(15) = 1 - 2e-13 is already 1 in float32, so larger inputs add nothing but overflow risk in exp. */
export const TANH_CLAMP = 15;

/** sinh input clamp: sinh(85) = 4e36 < float32 max 3.4e38. */
export const SINH_CLAMP = 85;

/** Above this |x|, arsinh uses log(2|x|): x^2 would overflow float32 at 1.8e19 (the neglected term is 1/(4 x^2)). */
export const ARSINH_LARGE = 1e18;

/**
 * Ball margin for float32 (geoopt's value): `project` keeps sqrt|k| |x| <= 1 - BALL_EPS. Near the boundary
 * 1 - |k| |x|^2 loses digits (relative error 6e-8 / (2 BALL_EPS) = 1.5e-5 at the margin), and the largest
 * distance from the origin becomes 2 artanh(1 - BALL_EPS) / sqrt|k| = 6.21 / sqrt|k|.
 */
export const BALL_EPS = 4e-3;

/** Stand-in for "no bound" in `project` when k >= 0 is a tensor (finite, so its gradient path stays finite). */
export const NO_BOUND = 1e15;

/** Default tolerance of `checkPointOnManifold`, in units of the ball radius (a few float32 ulps of slack). */
export const CHECK_TOL = 1e-5;
