// Connections to the queue's Redis: a quick probe before anything is queued or taken (so a wrong URL
// or a server that is down is one sentence within seconds), then connections that reconnect on
// their own when Redis restarts.
import type { RedisOptions as BullRedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { QueueError } from './queue-error';
import type { QueueTarget } from './queue-url';

/** How long the probe waits for the TCP connection (an unroutable host never answers). */
export const PROBE_TIMEOUT_MS = 3000;
/** Reconnection backoff: attempt n waits n x this, up to RECONNECT_MAX_MS (a restarted Redis is back within seconds). */
const RECONNECT_STEP_MS = 200;
const RECONNECT_MAX_MS = 2000;

interface ServerOptions {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls?: Record<string, never>;
}

function baseOptions(target: QueueTarget): ServerOptions {
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(target.tls ? { tls: {} } : {}),
  };
}

/**
 * Options of the long-lived connections (BullMQ makes its own clients from them): commands wait
 * while Redis is away (maxRetriesPerRequest null, as BullMQ requires) and the client reconnects
 * for as long as the process runs.
 */
export function connectionOptions(target: QueueTarget): BullRedisOptions {
  return {
    ...baseOptions(target),
    maxRetriesPerRequest: null,
    retryStrategy: (attempt: number) => Math.min(attempt * RECONNECT_STEP_MS, RECONNECT_MAX_MS),
  };
}

function reason(error: unknown, target: QueueTarget): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/WRONGPASS|NOAUTH|invalid password|invalid username/i.test(text)) return `the server refused the credentials (${text})`;
  if (/DB index is out of range/i.test(text)) return `the server has no database ${target.db}`;
  return text;
}

/**
 * Connects once (no retry), selects the database and pings. Throws a QueueError naming the URL and
 * the cause (refused, timed out, unknown host, wrong password, no such database) within about
 * PROBE_TIMEOUT_MS.
 */
export async function probeRedis(target: QueueTarget, timeoutMs = PROBE_TIMEOUT_MS): Promise<void> {
  const client = new Redis({
    ...baseOptions(target),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // connect() rejects with a bare "Connection is closed."; the cause (ECONNREFUSED, ENOTFOUND) comes as an event.
  let cause: Error | null = null;
  client.on('error', (error: Error) => {
    cause = error;
  });
  const timeout = new Promise<never>((_, reject) => {
    setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs).unref();
  });
  try {
    await Promise.race([
      (async () => {
        await client.connect();
        // ioredis selects the database on connect but reports a bad index only as an event: ask again.
        await client.select(target.db);
        await client.ping();
      })(),
      timeout,
    ]);
  } catch (error) {
    const why = reason(cause ?? error, target);
    throw new QueueError(
      `cannot use the queue at ${target.display}: ${why}. Start redis-server there (or check the host, port, database and password in the URL) and run again.`,
    );
  } finally {
    client.disconnect();
  }
}
