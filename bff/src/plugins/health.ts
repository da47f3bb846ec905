import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The process is about to stop: keep serving, but answer /readyz 503 so load balancers stop
     * sending, and close every connection after its response so keep-alive clients reconnect to
     * another instance. The launcher calls it on SIGTERM, waits its drain period, then closes.
     */
    startDraining(): void;
  }
}

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), ms))]);

/** /healthz: the process answers. /readyz: it can reach Postgres and Redis, and is not draining. */
export default fp(
  async (app: FastifyInstance) => {
    let draining = false;
    app.decorate('startDraining', () => {
      draining = true;
    });
    // At send time rather than on arrival: a request that began before the drain still moves its
    // connection away when it answers.
    app.addHook('onSend', async (_req, reply) => {
      if (draining) reply.header('connection', 'close');
    });

    app.get('/healthz', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));
    app.get('/readyz', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
      // Liveness stays 200 while draining (the process is fine; restarting it would cut the drain).
      if (draining) {
        reply.status(503);
        return { status: 'draining' };
      }
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
