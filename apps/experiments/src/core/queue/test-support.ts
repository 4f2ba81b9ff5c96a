// Test-only: a real redis-server of our own on a free loopback port with a temporary folder, so the
// queue's tests exercise BullMQ's real locks, stalled jobs and retries (never a mock of Redis).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How long a starting server may take to accept connections. */
const START_TIMEOUT_MS = 10_000;

/** The path of redis-server, or null when it is not installed (the tests that need it are skipped, saying why). */
export function redisServerPath(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** Why queue tests are skipped on this machine. */
export const NO_REDIS_REASON =
  'redis-server is not installed (scripts/setup.sh installs it with apt-get as root); skipping the queue tests that need a real Redis';

export interface RedisTestServer {
  port: number;
  /** redis://127.0.0.1:PORT/0 */
  url: string;
  /** Stops the server (SIGTERM: with append-only persistence, everything acknowledged is on disk). */
  stop(): Promise<void>;
  /** Stops it and starts it again on the same port and folder. */
  restart(): Promise<void>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function launch(port: number, dir: string, appendOnly: boolean): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
  if (appendOnly) args.push('--appendonly', 'yes', '--appendfsync', 'always');
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start within ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with code ${code}:\n${output}`));
    });
  });
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Starts redis-server on a free loopback port (`--save ""`; `appendOnly` turns on fsync-always persistence). */
export async function startRedisServer(options: { appendOnly?: boolean } = {}): Promise<RedisTestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'curvad-redis-'));
  const port = await freePort();
  let child = await launch(port, dir, options.appendOnly === true);
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    stop: () => terminate(child),
    restart: async () => {
      await terminate(child);
      child = await launch(port, dir, options.appendOnly === true);
    },
    dispose: async () => {
      await terminate(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
