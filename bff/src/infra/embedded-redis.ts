/**
 * Redis for `pnpm dev`/`pnpm start`: use the configured server when it answers, otherwise run a private
 * redis-server from the system binary (via redis-memory-server), otherwise explain how to get one.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';

export interface EnsuredRedis {
  /** The URL to connect to: the given one, or the private server's. */
  url: string;
  /** Whether a private server was started (and stop() ends it). */
  embedded: boolean;
  stop(): Promise<void>;
}

export interface EnsureRedisOptions {
  /** How long to wait for PING at `url` before deciding nothing is there. */
  probeTimeoutMs?: number;
  /** Where to look for redis-server; defaults to $PATH. */
  path?: string;
}

/** True when a Redis server at `url` answers PING (NOAUTH counts: something is there, the URL lacks auth). */
export async function pingRedis(url: string, timeoutMs = 1000): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // Without a listener ioredis reports connection errors as unhandled 'error' events.
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch (e) {
    return e instanceof Error && /NOAUTH/.test(e.message);
  } finally {
    client.disconnect();
  }
}

/** First executable `redis-server` on the search path, or null. */
export async function findRedisServerBinary(searchPath = process.env.PATH ?? ''): Promise<string | null> {
  for (const dir of searchPath.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'redis-server');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return null;
}

export const REDIS_INSTALL_HINT =
  'Install Redis (Debian/Ubuntu: `apt-get install redis-server`; macOS: `brew install redis`) so a private ' +
  'server can be started, or set REDIS_URL to a reachable Redis.';

export async function ensureRedis(url: string, opts: EnsureRedisOptions = {}): Promise<EnsuredRedis> {
  if (await pingRedis(url, opts.probeTimeoutMs)) return { url, embedded: false, stop: async () => {} };

  const binary = await findRedisServerBinary(opts.path);
  if (!binary)
    throw new Error(
      `No Redis answers at ${url} and no redis-server binary is on PATH. ${REDIS_INSTALL_HINT}`,
    );

  // Passing systemBinary explicitly keeps redis-memory-server off its download-and-compile path,
  // which fails offline (its postinstall is denied in this workspace). Loaded only here: a
  // production start, which finds its Redis, skips the package's module graph.
  const { RedisMemoryServer } = await import('redis-memory-server');
  const server = await RedisMemoryServer.create({
    binary: { systemBinary: binary },
    // redis-memory-server already disables RDB and AOF: this server is a throwaway.
    instance: { ip: '127.0.0.1' },
  });
  const host = await server.getHost();
  const port = await server.getPort();
  let stopped: Promise<void> | null = null;
  return {
    url: `redis://${host}:${port}`,
    embedded: true,
    stop() {
      stopped ??= server.stop().then(() => undefined);
      return stopped;
    },
  };
}
