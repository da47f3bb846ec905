import { timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { notFound } from '../http/errors';

/** How often the gauges that need Postgres or Redis are refreshed, whatever the scrape rate. */
export const GAUGE_REFRESH_MS = 15_000;

function presentsToken(request: FastifyRequest, token: string | undefined): boolean {
  if (!token) return false;
  const sent = Buffer.from(request.headers.authorization ?? '');
  const want = Buffer.from(`Bearer ${token}`);
  return sent.length === want.length && timingSafeEqual(sent, want);
}

/**
 * Prometheus metrics at /metrics, for the scraper that presents METRICS_TOKEN (everyone else, and
 * everyone when no token is configured, gets 404). A scrape reads values kept in memory: the
 * outbox and queue gauges are refreshed on a timer, so scraping costs no query and a slow
 * Postgres or Redis never holds a scrape. One registry per app so tests can build many apps.
 */
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
    const outboxPending = new Gauge({
      name: 'linli_outbox_pending',
      help: 'Outbox rows committed but not yet handed to the queue (refreshed every 15 s)',
      registers: [register],
    });
    const queueJobs = new Gauge({
      name: 'linli_queue_jobs',
      help: 'Jobs per queue and state (refreshed every 15 s)',
      labelNames: ['queue', 'state'] as const,
      registers: [register],
    });
    const refreshedAt = new Gauge({
      name: 'linli_gauges_refreshed_timestamp_seconds',
      help: 'When the outbox and queue gauges were last refreshed',
      registers: [register],
    });

    let refreshing = false;
    const refresh = async () => {
      if (refreshing) return;
      refreshing = true;
      try {
        const rows = (await app.deps.db.execute(
          sql`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`,
        )) as unknown as { n: number }[];
        outboxPending.set(rows[0]?.n ?? 0);
        for (const q of app.deps.queues.all()) {
          const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed');
          for (const [state, n] of Object.entries(counts)) queueJobs.set({ queue: q.name, state }, n);
        }
        refreshedAt.set(Date.now() / 1000);
      } catch (err) {
        app.log.warn({ err }, 'could not refresh the metrics gauges');
      } finally {
        refreshing = false;
      }
    };
    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      void refresh();
      timer = setInterval(refresh, GAUGE_REFRESH_MS);
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));

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
    app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
      if (!presentsToken(request, app.deps.config.METRICS_TOKEN)) throw notFound();
      reply.type(register.contentType);
      return register.metrics();
    });
  },
  { name: 'metrics', dependencies: ['infrastructure'] },
);
