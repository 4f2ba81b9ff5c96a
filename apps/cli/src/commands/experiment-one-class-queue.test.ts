// `curvad experiment one-class --queue` against a real redis-server and a real `curvad worker`
// process (never a mock of Redis): a queued run writes the same numbers as the same run in
// process, --resume reattaches, a unit failing every attempt is a failed trial (exit 3), and a bad
// or unreachable queue is one sentence and exit 2.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NO_REDIS_REASON, type RedisTestServer, redisServerPath, startRedisServer } from '../../../experiments/src/core/queue/test-support';
import { cliTestFolder } from '../../test/cli-test-folder';
import { runCurvad } from '../../test/run-curvad';
import { TINY_ONE_CLASS_CONFIG } from '../../test/tiny-one-class-config';
import { startWorker, stopWorkers, type WorkerProcess } from '../../test/worker-process';

const hasRedis = redisServerPath() !== null;
if (!hasRedis) console.info(NO_REDIS_REASON);
/** Two digits (1 and 7) normal in turn, plain RotNet and RotNet + HiT: 4 units of one epoch on 64 images, 150 test digits. */
const TINY_CONFIG = { ...TINY_ONE_CLASS_CONFIG, normalClasses: [1, 7], models: ['RotNet', 'RotNet+HiT'] };
/** One unit (digit 1, RotNet) whose Adam steps of 1e38 make the second training loss NaN: it throws on every attempt. */
const FAILING_CONFIG = { ...TINY_ONE_CLASS_CONFIG, optimizer: { learningRate: 1e38 } };
const root = cliTestFolder('curvad-one-class-queue-', { 'tiny.json': TINY_CONFIG, 'failing.json': FAILING_CONFIG });
const configFile = join(root, 'tiny.json');
const failingFile = join(root, 'failing.json');

interface ResultsShape {
  complete: boolean;
  configurations: {
    name: string;
    trials: {
      trial: number;
      seed: number;
      status: string;
      idAccuracy: Record<string, number>;
      training?: Record<string, { epoch: number; loss: number }[]>;
      methods: { method: string; perOod: Record<string, Record<string, number>> }[];
    }[];
  }[];
}

function readResults(outDir: string): ResultsShape {
  return JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as ResultsShape;
}

/** What a run measured, without its timings: per class and trial, the metrics, accuracies and training losses. */
function measured(results: ResultsShape) {
  return results.configurations.map((c) => ({
    name: c.name,
    trials: c.trials.map((t) => ({
      trial: t.trial,
      seed: t.seed,
      status: t.status,
      idAccuracy: t.idAccuracy,
      losses: Object.fromEntries(Object.entries(t.training ?? {}).map(([model, epochs]) => [model, epochs.map((e) => e.loss)])),
      methods: t.methods.map((m) => ({ method: m.method, perOod: m.perOod })),
    })),
  }));
}

/** Every raw score file of a run (path under scores/ -> bytes). */
function scoreFiles(outDir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(outDir, path), readFileSync(path));
    }
  };
  walk(join(outDir, 'scores'));
  return files;
}

/** `curvad experiment one-class --config FILE --backend wasm ...args`. */
function oneClassWith(file: string, ...args: string[]) {
  return runCurvad(['experiment', 'one-class', '--config', file, '--backend', 'wasm', ...args]);
}

function oneClass(...args: string[]) {
  return oneClassWith(configFile, ...args);
}

describe('experiment one-class: a bad queue', () => {
  test('a malformed or unreachable --queue is one sentence and exit 2 within seconds, before the run creates its folder', async () => {
    const out = join(root, 'never');
    const started = performance.now();
    const [malformed, refused] = await Promise.all([
      oneClass('--queue', 'redis//127.0.0.1:6379', '--out', out),
      oneClass('--queue', 'redis://127.0.0.1:1/0', '--out', out),
    ]);
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr.trim()).toMatch(/^curvad: queue URL 'redis\/\/127\.0\.0\.1:6379' .*write redis:\/\/HOST:PORT\[\/DB\]/);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toMatch(
      /^curvad: cannot use the queue at redis:\/\/127\.0\.0\.1:1\/0: .*ECONNREFUSED.*Start redis-server there/,
    );
    for (const run of [malformed, refused]) expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  test('--attempts without --queue is a usage error that names --queue', async () => {
    const run = await oneClass('--attempts', '2', '--out', join(root, 'no-queue'));
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('curvad: --attempts and --retry-seconds set the retries of queued units: use them with --queue URL.');
  });
});

describe.skipIf(!hasRedis)('experiment one-class --queue against a real redis-server', () => {
  let redis: RedisTestServer;
  let worker: WorkerProcess;
  beforeAll(async () => {
    redis = await startRedisServer();
    // Started first: its unit process loads node, tfjs and wasm while the in-process run trains.
    worker = startWorker(redis.url, 'one');
  });
  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    await redis?.dispose();
  });

  test('a queued run on one worker process gives the in-process run’s metrics, losses and raw scores; --resume reattaches', async () => {
    const localOut = join(root, 'local');
    const local = await oneClass('--out', localOut);
    expect(local.code).toBe(0);

    const queuedOut = join(root, 'queued');
    const queued = await oneClass('--queue', redis.url, '--out', queuedOut);
    expect(queued.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(queued.code).toBe(0);
    expect(queued.stderr).toMatch(/4 unit job\(s\) queued, 0 already queued or running/);
    expect(worker.log()).toMatch(/class-7 trial 0 RotNet\+HiT: saved \(/);
    // The same Table VI on stdout, and the same numbers to the last bit.
    const tableVi = readFileSync(join(queuedOut, 'table-vi.md'), 'utf8').trimEnd();
    expect(tableVi).toBe(readFileSync(join(localOut, 'table-vi.md'), 'utf8').trimEnd());
    expect(queued.stdout.startsWith(tableVi)).toBe(true);
    expect(queued.stdout).toMatch(/\nResults: \S*results\.json \(2 of 2 trials over 2 normal classes, /);
    const [localResults, queuedResults] = [readResults(localOut), readResults(queuedOut)];
    expect(queuedResults.complete).toBe(true);
    expect(measured(queuedResults)).toEqual(measured(localResults));
    // Both models and both scorings are among the rows compared, for each normal class.
    for (const configuration of measured(queuedResults)) {
      expect(configuration.trials.map((t) => t.status)).toEqual(['completed']);
      expect(configuration.trials[0]!.methods.map((m) => m.method)).toEqual(
        expect.arrayContaining(['RotNet', 'RotNet (released)', 'RotNet +HiT', 'RotNet +HiT (released)']),
      );
    }
    const [localScores, queuedScores] = [scoreFiles(localOut), scoreFiles(queuedOut)];
    expect(queuedScores.size).toBeGreaterThan(0);
    expect([...queuedScores.keys()].sort()).toEqual([...localScores.keys()].sort());
    for (const [path, bytes] of queuedScores) expect(bytes.equals(localScores.get(path)!), path).toBe(true);

    // Reattaching to the finished run queues nothing and prints the same Table VI.
    const resumed = await oneClass('--queue', redis.url, '--resume', '--out', queuedOut);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout.startsWith(tableVi)).toBe(true);
    expect(worker.log().match(/: saved \(/g)).toHaveLength(4);
  });

  test('a unit that fails every attempt is retried, then recorded as a failed trial with its error; exit 3 and the command to rerun it', async () => {
    const out = join(root, 'failing');
    const run = await oneClassWith(failingFile, '--queue', redis.url, '--attempts', '2', '--retry-seconds', '1', '--out', out);
    await stopWorkers(worker);
    expect(run.code).toBe(3);
    expect(worker.log()).toMatch(/class-1 trial 0 RotNet: failed: .*loss became NaN.*BullMQ retries it \(attempt 2 of 2\)/);
    expect(worker.log()).toMatch(/class-1 trial 0 RotNet: failed: .*no attempt left, recorded as failed/);
    const trial = readResults(out).configurations[0]!.trials[0]!;
    expect(trial.status).toBe('failed');
    expect(run.stderr).toMatch(
      /1 trial\(s\) failed \(recorded in results\.json and the report\):\n {2}class-1 trial 0: model RotNet: fit: the training loss became NaN .*\(2 attempt\(s\)\)\nRerun them with:\n {2}npx curvad experiment one-class .*--queue redis:\/\/127\.0\.0\.1:\d+\/0 --attempts 2 --retry-seconds 1 --resume --out /,
    );
  });
});
