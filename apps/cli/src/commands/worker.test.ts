// `curvad experiment ood --queue` and `curvad worker` as processes against a real redis-server:
// the faults of issue 18 (a worker killed mid-unit, Redis restarted, a unit that always throws, two
// submitters, a bad or unreachable queue), each unit once in the results, nothing lost.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NO_REDIS_REASON, type RedisTestServer, redisServerPath, startRedisServer } from '../../../experiments/src/core/queue/test-support';
import { buildCli, buildExperiments, type RunOptions, runCurvad } from '../../test/run-curvad';
import { startWorker, stopWorkers, type WorkerProcess } from '../../test/worker-process';

const hasRedis = redisServerPath() !== null;
if (!hasRedis) console.info(NO_REDIS_REASON);
const root = mkdtempSync(join(tmpdir(), 'curvad-queue-cli-'));

/** Two units (baseline, HiO) of one trial: one epoch on 300 MNIST digits, scored on 100 test and 100 noise images. */
const TINY = {
  name: 'tiny',
  backbone: { name: 'small-cnn', options: {} },
  embeddingDim: 8,
  models: ['baseline', 'HiO'],
  configurations: [
    {
      name: 'holdout',
      description: 'MNIST 0-5 vs noise',
      id: { dataset: 'mnist', classes: [0, 1, 2, 3, 4, 5], partition: 0.7 },
      ood: [{ kind: 'noise', name: 'Uniform', noise: 'uniform', count: 100 }],
    },
  ],
  detectors: { odin: false },
  optimizer: { name: 'adam', learningRate: 3e-3 },
  epochs: 1,
  batchSize: 64,
  trials: 1,
  seed: 2,
  limits: { train: 300, test: 100, ood: 100 },
};
const tinyFile = join(root, 'tiny.json');
/** The same grid whose SiO unit always throws: a sphere logit scale of 1e38 makes its first loss infinite. */
const failingFile = join(root, 'failing.json');

function results(outDir: string) {
  return JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as {
    complete: boolean;
    configurations: { trials: { status: string; error?: string; methods: { method: string }[] }[] }[];
  };
}

function count(text: string, pattern: RegExp): number {
  return text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
}

function submit(queue: string, outDir: string, ...extra: (string | RunOptions)[]) {
  const args = extra.filter((e): e is string => typeof e === 'string');
  const options = extra.find((e): e is RunOptions => typeof e !== 'string');
  return runCurvad(['experiment', 'ood', '--config', tinyFile, '--backend', 'wasm', '--queue', queue, '--out', outDir, ...args], options);
}

beforeAll(() => {
  buildExperiments();
  buildCli();
  writeFileSync(tinyFile, JSON.stringify(TINY));
  writeFileSync(failingFile, JSON.stringify({ ...TINY, models: ['baseline', 'SiO'], sphereScale: 1e38 }));
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a bad or unreachable --queue', () => {
  test('is one sentence and exit 2 within seconds, before the run creates its folder (submitter and worker)', async () => {
    const out = join(root, 'never');
    const started = performance.now();
    const [malformed, refused, worker] = await Promise.all([
      submit('http://127.0.0.1:6379', out),
      submit('redis://127.0.0.1:1/0', out),
      runCurvad(['worker', '--queue', 'redis://127.0.0.1:1/0']),
    ]);
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr.trim()).toMatch(
      /^curvad: queue URL 'http:\/\/127\.0\.0\.1:6379' has the scheme 'http', not redis or rediss; write redis:\/\/HOST:PORT\[\/DB\]/,
    );
    expect(malformed.stderr.trim().split('\n')).toHaveLength(1);
    for (const run of [refused, worker]) {
      expect(run.code).toBe(2);
      expect(run.stderr.trim()).toMatch(
        /^curvad: cannot use the queue at redis:\/\/127\.0\.0\.1:1\/0: .*ECONNREFUSED.*Start redis-server there/,
      );
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(out)).toBe(false);
  });
});

describe.skipIf(!hasRedis)('queued runs against a real redis-server', () => {
  const servers: RedisTestServer[] = [];
  const workers: WorkerProcess[] = [];
  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.dispose()));
  });
  async function server(options: { appendOnly?: boolean } = {}): Promise<RedisTestServer> {
    const started = await startRedisServer(options);
    servers.push(started);
    return started;
  }
  function worker(queue: string, name: string, ...extra: string[]): WorkerProcess {
    const started = startWorker(queue, name, ...extra);
    workers.push(started);
    return started;
  }

  test('a worker killed with SIGKILL mid-unit: its job stalls, another worker finishes it, the unit is in the results once', async () => {
    const redis = await server();
    const out = join(root, 'killed');
    const doomed = worker(redis.url, 'doomed', '--stall-seconds', '2');
    const submitter = submit(redis.url, out);
    await doomed.waitFor(/holdout trial 0 baseline: started/);
    doomed.child.kill('SIGKILL');
    const rescuer = worker(redis.url, 'rescuer', '--stall-seconds', '2');
    const run = await submitter;
    await stopWorkers(rescuer);
    expect(run.code).toBe(0);
    expect(count(doomed.log(), /: saved \(/)).toBe(0);
    expect(count(rescuer.log(), /holdout trial 0 baseline: saved/)).toBe(1);
    expect(count(rescuer.log(), /: saved \(/)).toBe(2);
    const trials = results(out).configurations[0]!.trials;
    expect(trials.map((t) => t.status)).toEqual(['completed']);
    expect(trials[0]!.methods.map((m) => m.method)).toEqual(['MSP', '+HiO']);
  });

  test('a unit whose child process is SIGKILLed (the worker lives): that attempt fails, BullMQ retries it, the run completes with the unit once', async () => {
    const redis = await server();
    const out = join(root, 'child-killed');
    const one = worker(redis.url, 'one');
    const submitter = submit(redis.url, out, '--attempts', '2', '--retry-seconds', '1');
    await one.waitFor(/holdout trial 0 baseline: started \(job \S+, attempt 1 of 2, unit process \d+ started\)/);
    const pid = Number(/baseline: started \(.*unit process (\d+) started\)/.exec(one.log())![1]);
    process.kill(pid, 'SIGKILL');
    const run = await submitter;
    // The worker outlived its child: still running until the test stops it.
    expect(one.child.exitCode).toBeNull();
    await stopWorkers(one);
    expect(run.code).toBe(0);
    expect(one.log()).toMatch(
      /baseline: failed: the process running holdout trial 0 baseline was killed with SIGKILL .*BullMQ retries it \(attempt 2 of 2\)/,
    );
    // The retry runs in a live unit process (the killed one is gone); the unit is saved once.
    const retry = /baseline: started \(job \S+, attempt 2 of 2, unit process (\d+) (started|reused)\)/.exec(one.log());
    expect(Number(retry?.[1])).not.toBe(pid);
    expect(count(one.log(), /holdout trial 0 baseline: saved/)).toBe(1);
    expect(count(one.log(), /: saved \(/)).toBe(2);
    const trials = results(out).configurations[0]!.trials;
    expect(trials.map((t) => t.status)).toEqual(['completed']);
    expect(trials[0]!.methods.map((m) => m.method)).toEqual(['MSP', '+HiO']);
  });

  test('Ctrl-C of the submitter stops following, not the worker; --resume reattaches and the run completes with each unit once', async () => {
    const redis = await server();
    const out = join(root, 'reattached');
    const one = worker(redis.url, 'one');
    let submitter: ChildProcess | undefined;
    const following = submit(redis.url, out, {
      onStderr: (_stderr, child) => {
        submitter = child;
      },
    });
    // The worker can only start a unit once the submitter has queued it (and printed, and handles Ctrl-C).
    await one.waitFor(/holdout trial 0 baseline: started/);
    submitter!.kill('SIGINT');
    const first = await following;
    expect(first.code).toBe(130);
    expect(first.stderr).toMatch(/Stopped following: .* the workers go on with the queued units/);
    // The worker goes on with the unit while no submitter follows it; the resumed submitter then
    // reattaches (queues nothing new) whether the other unit is still running or done.
    await one.waitFor(/holdout trial 0 baseline: saved/);
    expect(one.child.exitCode).toBeNull();
    const resumed = await submit(redis.url, out, '--resume');
    await stopWorkers(one);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/resuming .*: [12] finished unit\(s\)/);
    expect(resumed.stderr).not.toMatch(/[1-9]\d* unit job\(s\) queued/);
    expect(count(one.log(), /: started/)).toBe(2);
    expect(count(one.log(), /: saved \(/)).toBe(2);
    const trials = results(out).configurations[0]!.trials;
    expect(results(out).complete).toBe(true);
    expect(trials[0]!.methods.map((m) => m.method)).toEqual(['MSP', '+HiO']);
  });

  test('Redis restarted during the run (append-only persistence): workers and submitter reconnect and the run completes', async () => {
    const redis = await server({ appendOnly: true });
    const out = join(root, 'restarted');
    const one = worker(redis.url, 'one');
    const submitter = submit(redis.url, out);
    await one.waitFor(/holdout trial 0 baseline: started/);
    await redis.restart();
    const run = await submitter;
    await stopWorkers(one);
    expect(run.code).toBe(0);
    expect(results(out).complete).toBe(true);
    expect(count(one.log(), /: saved \(/)).toBe(2);
  });

  test('a unit that always throws is retried with backoff, then recorded as failed; the rest completes; exit 3', async () => {
    const redis = await server();
    const out = join(root, 'failing');
    const one = worker(redis.url, 'one');
    const run = await runCurvad([
      'experiment',
      'ood',
      '--config',
      failingFile,
      '--backend',
      'wasm',
      '--queue',
      redis.url,
      '--attempts',
      '2',
      '--retry-seconds',
      '1',
      '--out',
      out,
    ]);
    await stopWorkers(one);
    expect(run.code).toBe(3);
    expect(count(one.log(), /holdout trial 0 SiO: started/)).toBe(2);
    expect(one.log()).toMatch(/SiO: failed: .*loss became Infinity.*BullMQ retries it \(attempt 2 of 2\)/);
    expect(one.log()).toMatch(/SiO: failed: .*no attempt left, recorded as failed/);
    const trial = results(out).configurations[0]!.trials[0]!;
    expect(trial.status).toBe('failed');
    expect(trial.error).toMatch(/^model SiO: fit: the training loss became Infinity .*\(2 attempt\(s\)\)$/);
    expect(existsSync(join(out, 'units', 'holdout', 'trial-0', 'baseline', 'unit.json'))).toBe(true);
    expect(run.stderr).toMatch(/1 trial\(s\) failed/);
  });

  test('two submitters of the same grid: every unit runs once and both record the whole run', async () => {
    const redis = await server();
    const out = join(root, 'twice');
    const first = submit(redis.url, out);
    const runFile = join(out, 'units', 'run.json');
    while (!existsSync(runFile)) await new Promise((resolve) => setTimeout(resolve, 100));
    const second = submit(redis.url, out, '--resume');
    const one = worker(redis.url, 'one');
    const [a, b] = await Promise.all([first, second]);
    await stopWorkers(one);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(count(one.log(), /: started/)).toBe(2);
    expect(count(one.log(), /: saved \(/)).toBe(2);
    expect(b.stderr).toMatch(/0 unit job\(s\) queued, 2 already queued or running/);
    expect(results(out).complete).toBe(true);
  });
});
