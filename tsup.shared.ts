import { defineConfig, type Options } from 'tsup';

/**
 * The build every publishable package shares: ESM + CommonJS + .d.ts from src/index.ts, for
 * ES2022 runtimes, with source maps. A package passes only what it does differently (more
 * entries, shims for import.meta.url in CommonJS, ...).
 */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    ...overrides,
  });
}
