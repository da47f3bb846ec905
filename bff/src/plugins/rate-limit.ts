import rateLimit, { type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';

/** A fixed window per key: the first hit sets the expiry, later hits only count. */
const COUNT_LUA = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if n == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}`;

type Counting = Redis & { linliRateCount(key: string, windowMs: number): Promise<[number, number]> };

/** Most keys a process keeps while Redis is down; the oldest window goes first beyond it. */
const LOCAL_KEYS = 10_000;

/** The same fixed windows in this process's memory, for while Redis does not answer. */
class LocalWindows {
  private windows = new Map<string, { n: number; endsAt: number }>();

  hit(key: string, windowMs: number): { current: number; ttl: number } {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.endsAt <= now) {
      this.windows.delete(key);
      w = { n: 0, endsAt: now + windowMs };
      if (this.windows.size >= LOCAL_KEYS) this.windows.delete(this.windows.keys().next().value!);
      this.windows.set(key, w);
    }
    w.n += 1;
    return { current: w.n, ttl: w.endsAt - now };
  }
}

/**
 * Counts in Redis, so a limit holds across API processes; when Redis fails (stopped, paused past
 * the request-side command timeout), the hit is counted in this process instead. So while Redis is
 * down a limit still holds, per process (at most N times the limit across N processes), and nobody
 * is refused for want of Redis. Neither alternative is acceptable: failing open leaves the
 * proxy-link limit (which keeps anyone from asking about many elders' phone numbers) and the
 * upload limit unbounded for the length of an outage; failing closed would refuse sign-in and
 * token refresh, signing everyone out within one access-token lifetime while ordering and paying
 * still work on PostgreSQL alone. The local counts are dropped when Redis answers again.
 */
function fallbackStore(redis: Redis, nameSpace: string): FastifyRateLimitStoreCtor {
  const counting = redis as Counting;
  if (!counting.linliRateCount) redis.defineCommand('linliRateCount', { numberOfKeys: 1, lua: COUNT_LUA });
  const local = new LocalWindows();
  const store = (prefix: string): FastifyRateLimitStore => ({
    incr(key, cb, timeWindow) {
      counting.linliRateCount(prefix + key, timeWindow).then(
        ([current, ttl]) => cb(null, { current, ttl }),
        () => cb(null, local.hit(prefix + key, timeWindow)),
      );
    },
    child(routeOptions) {
      // Per route, as the plugin's own Redis store keys them.
      const info = (routeOptions as { routeInfo?: { method?: string; url?: string } }).routeInfo;
      return store(`${prefix}${info?.method ?? ''}${info?.url ?? ''}-`);
    },
  });
  return class {
    constructor() {
      // biome-ignore lint/correctness/noConstructorReturn: the plugin only news the class it is given.
      return store(nameSpace);
    }
  } as unknown as FastifyRateLimitStoreCtor;
}

/** Off by default; routes opt in with `config.rateLimit` (auth, proxy links, uploads do). */
export default fp(
  async (app: FastifyInstance) => {
    await app.register(rateLimit, {
      global: false,
      store: fallbackStore(app.deps.redis, `${app.deps.config.QUEUE_PREFIX}:rl:`),
      errorResponseBuilder: (_req, ctx) => ({
        statusCode: 429,
        error: {
          code: 'RATE_LIMITED',
          message: `Too many attempts, try again in ${Math.ceil(ctx.ttl / 1000)} seconds`,
        },
      }),
    });
  },
  { name: 'rate-limit', dependencies: ['infrastructure'] },
);
