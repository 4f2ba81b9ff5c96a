import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { QueueError } from './queue-error';
import { parseQueueUrl } from './queue-url';
import { PROBE_TIMEOUT_MS, probeRedis } from './redis-connection';
import { NO_REDIS_REASON, type RedisTestServer, redisServerPath, startRedisServer } from './test-support';

const hasRedis = redisServerPath() !== null;
if (!hasRedis) console.info(NO_REDIS_REASON);

async function probeError(url: string): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await probeRedis(parseQueueUrl(url)).catch((e: unknown) => e);
  return { error, ms: performance.now() - started };
}

describe('probeRedis', () => {
  test('a port nobody listens on is a QueueError naming the URL and what to do, at once', async () => {
    // Port 1 on loopback: refused immediately on any machine (nothing may listen there without root).
    const { error, ms } = await probeError('redis://127.0.0.1:1/0');
    expect(error).toBeInstanceOf(QueueError);
    expect((error as Error).message).toMatch(
      /^cannot use the queue at redis:\/\/127\.0\.0\.1:1\/0: .*ECONNREFUSED.*Start redis-server there/,
    );
    expect(ms).toBeLessThan(PROBE_TIMEOUT_MS);
  });

  test('a host that never answers gives up after PROBE_TIMEOUT_MS', async () => {
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never routed, so the connection neither opens nor is refused.
    const { error, ms } = await probeError('redis://192.0.2.1:6379/0');
    expect(error).toBeInstanceOf(QueueError);
    expect(ms).toBeLessThan(PROBE_TIMEOUT_MS + 1500);
  });

  describe.skipIf(!hasRedis)('against a real redis-server', () => {
    let server: RedisTestServer;
    beforeAll(async () => {
      server = await startRedisServer();
    });
    afterAll(() => server?.dispose());

    test('passes on a running server and names a database the server does not have', async () => {
      await expect(probeRedis(parseQueueUrl(server.url))).resolves.toBeUndefined();
      const { error } = await probeError(`redis://127.0.0.1:${server.port}/99`);
      expect((error as Error).message).toMatch(/the server has no database 99/);
    });
  });
});
