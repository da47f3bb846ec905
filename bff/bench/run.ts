/**
 * `pnpm bench`: throughput of the spine's hot paths, each printed as a ratio to a baseline measured
 * in the same run on the same machine (absolute numbers vary with the machine; ratios tell whether
 * a change made a path slower). Needs the local PostgreSQL and Redis, like the integration tests.
 */

import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { enqueue, relayOutbox } from '../src/jobs/outbox';
import { defineJob } from '../src/module';
import setupTemplate from '../test/global-setup';
import { setupTestApp } from '../test/helper';
import { benchAlerts } from './alerts';
import { benchBatch } from './batch';
import { benchCare } from './care';
import { CONNECTIONS, DURATION, load, print, type Row } from './lib';
import { benchMarket } from './market';
import { benchNeighbors } from './neighbors';
import { benchVolunteers } from './volunteers';

/** A job of the bench's own, relayed but never processed. */
const benchJob = defineJob({ queue: 'notifications', name: 'bench', payload: z.object({ i: z.number() }) });

/** `BENCH_ONLY=catalog,checkout pnpm bench` runs just those parts (http, jobs, catalog, checkout, batch, care, volunteers, neighbors, alerts). */
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const only = (part: string) => !ONLY || ONLY.includes(part);

await setupTemplate();
const t = await setupTestApp({ LOG_LEVEL: 'warn', AUTH_RATE_LIMIT_PER_MINUTE: '1000000' });
try {
  const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const resident = await t.login('13800000010');
  const auth = { authorization: resident.authorization };

  if (only('http')) {
    const http: Row[] = [];
    http.push({ name: 'GET /healthz (baseline: no auth, no I/O)', ...(await load(`${base}/healthz`)) });
    http.push({ name: 'GET /v1/me (auth + 4 queries)', ...(await load(`${base}/v1/me`, auth)) });
    http.push({
      name: 'GET /v1/notifications (auth + page)',
      ...(await load(`${base}/v1/notifications`, auth)),
    });
    http.push({
      name: 'GET /v1/communities/:id (tree)',
      ...(await load(`${base}/v1/communities/${await communityId()}`, auth)),
    });
    print(`HTTP, ${CONNECTIONS} connections x ${DURATION}s`, http, 'req/s');
  }

  // Outbox relay vs handing the same jobs to BullMQ directly.
  if (only('jobs')) {
    const N = 3000;
    const queue = t.deps.queues.get('notifications');
    let start = performance.now();
    await queue.addBulk(
      Array.from({ length: N }, (_, i) => ({ name: 'bench', data: { i }, opts: { jobId: `direct-${i}` } })),
    );
    const direct = N / ((performance.now() - start) / 1000);
    await queue.obliterate({ force: true });
    await t.deps.db.transaction(async (tx) => {
      for (let i = 0; i < N; i++) await enqueue(tx, benchJob, { i });
    });
    start = performance.now();
    while ((await relayOutbox(t.deps.db, t.deps.queues, 100)) > 0) {}
    const relayed = N / ((performance.now() - start) / 1000);
    const [left] = (await t.deps.db.execute(
      sql`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`,
    )) as unknown as {
      n: number;
    }[];
    if (left!.n !== 0) throw new Error('relay left rows behind');
    print(
      `Jobs, ${N} jobs`,
      [
        { name: 'queue.addBulk (baseline)', rps: direct, p99: 0 },
        { name: 'outbox relay (batches of 100)', rps: relayed, p99: 0 },
      ],
      'jobs/s',
    );
  }

  await benchMarket(t, base, only);
  await benchBatch(t, only);
  await benchCare(t, only);
  await benchVolunteers(only);
  await benchNeighbors(t, only);
  await benchAlerts(t, only);
} finally {
  await t.close();
}

async function communityId(): Promise<string> {
  const rows = (await t.deps.db.execute(sql`SELECT id FROM communities LIMIT 1`)) as unknown as {
    id: string;
  }[];
  return rows[0]!.id;
}
