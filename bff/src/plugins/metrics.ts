import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics at /metrics; one registry per app so tests can build many apps. */
export default fp(
  async (app: FastifyInstance) => {
    const register = new Registry();
    collectDefaultMetrics({ register });
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [register],
    });
    new Gauge({
      name: 'linli_outbox_pending',
      help: 'Outbox rows committed but not yet handed to the queue',
      registers: [register],
      async collect() {
        const rows = (await app.deps.db.execute(
          sql`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`,
        )) as unknown as { n: number }[];
        this.set(rows[0]?.n ?? 0);
      },
    });
    new Gauge({
      name: 'linli_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [register],
      async collect() {
        for (const q of app.deps.queues.all()) {
          const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed');
          for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
        }
      },
    });

    app.addHook('onResponse', async (request, reply) => {
      duration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          status: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
    });
    app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
      reply.type(register.contentType);
      return register.metrics();
    });
  },
  { name: 'metrics', dependencies: ['infrastructure'] },
);
