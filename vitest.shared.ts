import { fileURLToPath } from 'node:url';
import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const packages = ['manifolds', 'geo-layers', 'anomaly-scores', 'metrics', 'backbones', 'datasets', 'runtime'];

/**
 * Tests import workspace packages from their sources (no build needed to test), so a change in
 * one package is seen by the tests of the packages above it at once.
 */
/** Package sub-entries (`@curvad/<package>/<entry>`, src/<entry>.ts), listed first: the bare name would match them too. */
const subEntries = ['geo-layers/scores', 'datasets/tfjs'];

export const workspaceAliases = Object.fromEntries([
  ...subEntries.map((entry) => [`@curvad/${entry}`, `${root}packages/${entry.replace('/', '/src/')}.ts`]),
  ...packages.map((name) => [`@curvad/${name}`, `${root}packages/${name}/src/index.ts`]),
]);

/** The shared setup: registers tfjs gradients and the cpu backend (see tools/test-setup). */
export const tfjsSetupFile = `${root}tools/test-setup/tfjs-cpu.ts`;
/** Every project: fast-check draws from a fixed seed (override with FAST_CHECK_SEED). */
export const fastCheckSetupFile = `${root}tools/test-setup/fast-check-seed.ts`;

export function project(name: string, options: { tfjs?: boolean; timeoutMs?: number } = {}): UserWorkspaceConfig {
  return defineProject({
    resolve: { alias: workspaceAliases },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      setupFiles: options.tfjs === false ? [fastCheckSetupFile] : [fastCheckSetupFile, tfjsSetupFile],
      testTimeout: options.timeoutMs ?? 30_000,
      hookTimeout: 60_000,
      passWithNoTests: true,
    },
  });
}
