// Shared vitest setup for every project: fast-check properties draw their cases from a fixed seed,
// so a test run is reproducible and CI does not flake on a rare random case. Explore other cases
// with FAST_CHECK_SEED=<integer> (a failure prints its seed and path to replay it).
import fc from 'fast-check';

const DEFAULT_FAST_CHECK_SEED = 20261129;
const fromEnv = Number.parseInt(process.env.FAST_CHECK_SEED ?? '', 10);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: Number.isFinite(fromEnv) ? fromEnv : DEFAULT_FAST_CHECK_SEED });
