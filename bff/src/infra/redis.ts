import { Redis } from 'ioredis';

/**
 * A Redis client for work someone is waiting on (HTTP requests, the outbox relay's pass). A paused
 * or unreachable Redis must cost a request a short, bounded wait and a 503, never the length of
 * the outage: a command that has not answered in `commandTimeoutMs` fails; nothing is parked in
 * an offline queue while disconnected, and a command cut off by a reconnect is not sent again,
 * so work the caller already gave up on is not replayed when Redis returns. One thing a timeout
 * cannot undo: a command already written to a paused server still runs when it resumes, so what
 * the HTTP side does in Redis must be harmless after a 503 (a spent replay key, an idempotent job).
 *
 * BullMQ workers must not use this: their blocking commands need `maxRetriesPerRequest: null`,
 * and a worker should wait an outage out rather than fail (see jobs/queues.ts).
 */
export function failFastRedis(url: string, commandTimeoutMs: number): Redis {
  const client = new Redis(url, {
    commandTimeout: commandTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
  });
  // Without a listener ioredis prints every failed reconnect to stderr, several a second while
  // Redis is down. What matters shows anyway: each command fails (a 503), /readyz says redis down.
  client.on('error', () => {});
  return client;
}

/** How ioredis (and BullMQ through it) says Redis did not answer, as opposed to refusing a command. */
const UNAVAILABLE = [
  /^Command timed out$/,
  /^Redis is not connected$/,
  /enableOfflineQueue options is false/,
  /^Connection is closed\.?$/,
  /^Reached the max retries per request limit/,
];

/** What we throw ourselves instead of starting work on a connection that is down. */
export const redisNotConnected = () => new Error('Redis is not connected');

/** Whether `err` means Redis is paused or gone: the request may be retried, nothing is wrong with it. */
export function isRedisUnavailable(err: unknown): boolean {
  return err instanceof Error && UNAVAILABLE.some((re) => re.test(err.message));
}

/**
 * Waits (at most `ms`) for a client that is still connecting. A fail-fast client refuses commands
 * until it is connected, so the app should not answer its first requests before that; a client
 * that is not trying to connect, or does not manage in time, is left to the readiness probe.
 */
export async function redisConnected(redis: Redis, ms: number): Promise<void> {
  if (!['connecting', 'connect', 'reconnecting'].includes(redis.status)) return;
  let timer: NodeJS.Timeout | undefined;
  let done: () => void = () => {};
  await new Promise<void>((resolve) => {
    done = resolve;
    timer = setTimeout(resolve, ms);
    redis.once('ready', resolve);
  });
  clearTimeout(timer);
  redis.removeListener('ready', done);
}
