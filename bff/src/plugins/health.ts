import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), ms))]);

/** /healthz: the process answers. /readyz: it can reach Postgres and Redis. */
export default fp(
  async (app: FastifyInstance) => {
    app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));
    app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
      const check = async (fn: () => Promise<unknown>) => {
        try {
          await withTimeout(fn(), 2000);
          return 'ok';
        } catch {
          return 'down';
        }
      };
      const [postgres, redis] = await Promise.all([
        check(() => app.deps.db.execute(sql`SELECT 1`)),
        check(() => app.deps.redis.ping()),
      ]);
      const ready = postgres === 'ok' && redis === 'ok';
      reply.status(ready ? 200 : 503);
      return { status: ready ? 'ready' : 'not_ready', postgres, redis };
    });
  },
  { name: 'health', dependencies: ['infrastructure'] },
);
