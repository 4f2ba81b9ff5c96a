// Test-only: what a test file that runs the built CLI needs around its tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { buildCli, buildExperiments } from './run-curvad';

/** How long building the CLI and @curvad/experiments may take when their dists are stale. */
const BUILD_TIMEOUT_MS = 300_000;

/**
 * A temporary folder for the file's runs: before its tests the CLI and the experiments app are
 * built (only when stale) and each of `jsonFiles` (name -> value) is written into it as JSON;
 * after them the folder is removed. Call at the top level of a test file.
 */
export function cliTestFolder(prefix: string, jsonFiles: Record<string, unknown> = {}): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  beforeAll(() => {
    buildExperiments();
    buildCli();
    for (const [name, value] of Object.entries(jsonFiles)) writeFileSync(join(root, name), JSON.stringify(value));
  }, BUILD_TIMEOUT_MS);
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return root;
}
