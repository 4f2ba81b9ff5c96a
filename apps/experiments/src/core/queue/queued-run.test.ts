// A queued run (BullMQ on a real redis-server, two workers, each unit in a child process of the
// built package) against the same run in process: the same numbers, bit for bit.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@curvad/runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseOodConfig } from '../../tasks/ood/config/ood-config';
import { oodTask } from '../../tasks/ood/task';
import { TINY_MNIST_HOLDOUT } from '../../tasks/ood/test-support';
import type { ResultsFile } from '../results/results-file';
import { runExperiment } from '../run-experiment';
import { createQueueExecutor } from './queue-executor';
import { type QueueWorker, startQueueWorker } from './queue-worker';
import { NO_REDIS_REASON, type RedisTestServer, redisServerPath, startRedisServer } from './test-support';

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
/** The workers' children run the built package (the same sources, bundled). */
const CHILD_ENTRY = fileURLToPath(new URL('../../../dist/queue-unit-child.js', import.meta.url));
const hasRedis = redisServerPath() !== null;
/** A finished unit's result reaches the submitter within this (events, not a poll; generous for a loaded machine). */
const MAX_RESULT_MS = 150;
if (!hasRedis) console.info(NO_REDIS_REASON);

// Four units: two models x two trials, one epoch on 300 digits, on wasm here and in the workers' children.
const config = parseOodConfig({
  ...TINY_MNIST_HOLDOUT,
  name: 'queued',
  embeddingDim: 4,
  models: ['baseline', 'HiO'],
  optimizer: { name: 'adam', learningRate: 3e-3 },
  detectors: { odin: false },
  epochs: 1,
  batchSize: 64,
  trials: 2,
  seed: 5,
  limits: { train: 300, test: 100, ood: 100 },
});

/** What must not depend on where and in which order units ran: every number but the timings. */
function numbers(results: ResultsFile): unknown {
  return results.configurations.map((c) =>
    c.trials.map((t) => ({
      trial: t.trial,
      status: t.status,
      idAccuracy: t.idAccuracy,
      methods: t.methods,
      training: Object.fromEntries(
        Object.entries(t.training ?? {}).map(([model, epochs]) => [model, epochs.map(({ seconds: _s, ...e }) => e)]),
      ),
      plots: t.plots,
    })),
  );
}

async function scoreFiles(outDir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.set(path.slice(outDir.length), await readFile(path));
    }
  };
  await walk(join(outDir, 'scores'));
  return files;
}

describe.skipIf(!hasRedis)('a queued run', () => {
  let server: RedisTestServer;
  let root: string;
  const workers: QueueWorker[] = [];
  const log: string[] = [];
  beforeAll(async () => {
    execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@curvad/experiments', '--output-logs=errors-only'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    await initBackend({ backend: 'wasm', log: false });
    server = await startRedisServer();
    root = await mkdtemp(join(tmpdir(), 'curvad-queued-'));
  }, 300_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await server?.dispose();
    await rm(root, { recursive: true, force: true });
  });

  test('gives the numbers and raw scores of the same run in process, bit for bit, with two workers', async () => {
    const local = join(root, 'local');
    const queued = join(root, 'queued');
    const options = { config, command: 'test', backend: 'wasm', report: false };
    const inProcess = await runExperiment(oodTask, { ...options, outDir: local });
    for (const name of ['w1', 'w2'])
      workers.push(
        await startQueueWorker({
          queue: server.url,
          backend: 'wasm',
          name,
          childEntry: CHILD_ENTRY,
          log: (line) => log.push(`${name}: ${line}`),
        }),
      );
    // No reconciliation pass during the run: each result must arrive through BullMQ's queue events.
    const executor = await createQueueExecutor({ queue: server.url, reconcileMs: 600_000 });
    const run = await runExperiment(oodTask, { ...options, outDir: queued, executor });
    expect(run.interrupted).toBe(false);
    expect(run.results.complete).toBe(true);
    expect(numbers(run.results)).toEqual(numbers(inProcess.results));
    expect(await scoreFiles(queued)).toEqual(await scoreFiles(local));
    // Both workers took units, each unit was saved once, and the weights are where a local run puts them.
    const saved = log.filter((line) => line.includes(': saved ('));
    expect(saved).toHaveLength(4);
    expect(new Set(saved.map((line) => line.slice(0, 2))).size).toBe(2);
    expect(existsSync(join(queued, 'units', 'holdout', 'trial-1', 'hio', 'model', 'model.json'))).toBe(true);
    expect(executor.overhead.units).toBe(4);
    // Recorded within milliseconds of the job's completion in Redis (a 500 ms poll averaged 250 ms).
    expect(Math.max(...executor.overhead.resultMs)).toBeLessThan(MAX_RESULT_MS);
    // Each worker's slot started one unit process and reused it for its next unit.
    const started = log.filter((line) => / unit process \d+ started\)/.test(line));
    const reused = log.filter((line) => / unit process \d+ reused\)/.test(line));
    expect(started).toHaveLength(2);
    expect(reused).toHaveLength(2);
    expect(log.filter((line) => line.includes('data cached'))).toHaveLength(2);
  });
});
