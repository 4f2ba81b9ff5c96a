import { defineConfig } from 'vitest/config';

// One vitest run over the whole workspace: each package/app/tool with tests has its own
// vitest.config.ts (a project). Run `pnpm vitest run --project manifolds` for one.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'tools/*/vitest.config.ts'],
  },
});
