import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));
export const CLI_JS = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The built entry points the CLI imports at run time. */
const DEPENDENCY_DISTS = ['apps/experiments/dist/index.js', 'packages/runtime/dist/index.js', 'packages/datasets/dist/index.js'];

/** Held while one test file builds: vitest runs the files that spawn the CLI in parallel workers, and tsup empties dist/ first. */
const BUILD_LOCK = join(tmpdir(), `curvad-cli-build-${CLI_DIR.replace(/[^A-Za-z0-9]+/g, '_')}.lock`);
/** A lock older than this was left by a killed test run. */
const STALE_LOCK_MS = 5 * 60_000;
const LOCK_POLL_MS = 200;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withBuildLock(work: () => void): void {
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const lockedAt = statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - lockedAt > STALE_LOCK_MS) rmSync(BUILD_LOCK, { recursive: true, force: true });
      else sleepSync(LOCK_POLL_MS);
    }
  }
  try {
    work();
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** dist/cli.js is newer than every source file, the bin launcher and the build config. */
function cliBuildIsFresh(): boolean {
  if (!existsSync(CLI_JS)) return false;
  const inputs = ['src', 'bin', 'package.json', 'tsup.config.ts'].map((p) => join(CLI_DIR, p)).filter((p) => existsSync(p));
  return statSync(CLI_JS).mtimeMs > Math.max(...inputs.map(newestMtime));
}

/**
 * Builds the CLI (tsup, a few seconds) unless dist/ is newer than its sources; one test file at a
 * time. Its workspace dependencies are imported from their dist folders; when one is missing they
 * are built first with turbo (which builds in dependency order).
 */
export function buildCli(): void {
  withBuildLock(buildCliNow);
}

function buildCliNow(): void {
  if (cliBuildIsFresh()) return;
  const missing = DEPENDENCY_DISTS.filter((p) => !existsSync(`${ROOT}${p}`));
  if (missing.length > 0) {
    console.info(`building the CLI's workspace dependencies (missing: ${missing.join(', ')})`);
    execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@curvad/cli^...', '--output-logs=errors-only'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
  execFileSync('pnpm', ['build'], { cwd: CLI_DIR, stdio: 'pipe' });
}

/** The sources the experiments app's dist is built from: its own and every workspace package's. */
function experimentsInputs(): string[] {
  const app = ['src', 'package.json', 'tsup.config.ts'].map((p) => join(ROOT, 'apps/experiments', p));
  const packages = readdirSync(join(ROOT, 'packages')).map((name) => join(ROOT, 'packages', name, 'src'));
  return [...app, ...packages].filter((p) => existsSync(p));
}

/**
 * Builds @curvad/experiments and its packages (turbo) unless its dist is newer than all their
 * sources; one test file at a time. Test files run in parallel and tsup empties dist/ first, so an
 * unlocked rebuild in one file broke the commands another file was running.
 */
export function buildExperiments(): void {
  withBuildLock(() => {
    const dist = join(ROOT, 'apps/experiments/dist/index.js');
    if (existsSync(dist) && statSync(dist).mtimeMs > Math.max(...experimentsInputs().map(newestMtime))) return;
    execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@curvad/experiments', '--output-logs=errors-only'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  });
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
