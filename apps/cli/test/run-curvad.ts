import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));
export const CLI_JS = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The built entry points the CLI imports at run time. */
const DEPENDENCY_DISTS = ['apps/experiments/dist/index.js', 'packages/runtime/dist/index.js', 'packages/datasets/dist/index.js'];

/**
 * Builds the CLI (tsup, a few seconds). Its workspace dependencies are imported from their dist
 * folders; when one is missing they are built first with turbo (which builds in dependency order).
 */
export function buildCli(): void {
  const missing = DEPENDENCY_DISTS.filter((p) => !existsSync(`${ROOT}${p}`));
  if (missing.length > 0) {
    console.info(`building the CLI's workspace dependencies (missing: ${missing.join(', ')})`);
    execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@curvad/cli^...', '--output-logs=errors-only'], { cwd: ROOT, stdio: 'inherit' });
  }
  execFileSync('pnpm', ['build'], { cwd: CLI_DIR, stdio: 'pipe' });
}

export interface CurvadRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Called with the stderr seen so far after each chunk; may signal the child. */
  onStderr?: (stderr: string, child: ReturnType<typeof spawn>) => void;
  /** Close the reading end of the child's stdout at once, as `curvad ... | head -0` would: its writes fail with EPIPE. */
  closeStdout?: boolean;
  /** The same for stderr after `closeStderrAfter` bytes of it were read (`2>&1 >/dev/null | head -c N`). */
  closeStderrAfter?: number;
}

/** Runs `node dist/cli.js ...args` as a child process (not a TTY, like CI). */
export function runCurvad(args: string[], options: RunOptions = {}): Promise<CurvadRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_JS, ...args], {
      cwd: options.cwd ?? CLI_DIR,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    if (options.closeStdout) child.stdout.destroy();
    else {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
    }
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr, child);
      if (options.closeStderrAfter !== undefined && stderr.length >= options.closeStderrAfter) child.stderr.destroy();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
