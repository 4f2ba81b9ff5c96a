#!/usr/bin/env node
// The `curvad` bin. A committed launcher rather than dist/cli.js itself, so pnpm can link
// node_modules/.bin/curvad at install time, before the first build has made dist/.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    `curvad: the CLI is not built yet (no ${entry.pathname}). Run \`npm run build\` in the repository root, then run the command again.\n`,
  );
  process.exitCode = 2;
} else {
  await import(entry.href);
}
