/**
 * `pnpm bench`: throughput of the spine's hot paths, each printed as a ratio to a baseline measured
 * in the same run on the same machine (absolute numbers vary with the machine; ratios tell whether
 * a change made a path slower). Needs the local PostgreSQL and Redis, like the integration tests.
 *
 * The server under test runs as production runs it (compiled, NODE_ENV=production, its own
 * process); baselines run in processes of their own; the load comes from this one. This process
 * also builds the test app (setupTestApp) for the bench's data and for the parts that call functions
 * rather than a server (jobs: the relay vs addBulk; batch: the batch builder; volunteers: ranking).
 *
 *   BENCH_ONLY=http,catalog,checkout,jobs,batch,care,volunteers,neighbors,alerts,soak
 *   BENCH_SECONDS=5  BENCH_CONNECTIONS=50  BENCH_ORDERS=2000
 *   BENCH_PROFILE=1  the server runs under --cpu-prof; its top functions are printed after each part
 *                    (BENCH_PROFILE=keep also leaves the .cpuprofile files)
 *   BENCH_SOAK_SECONDS=600  (the soak runs only when asked for: `pnpm bench:soak`)
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
import { CONNECTIONS, DURATION, load, machineHeader, print, type Row } from './lib';
import { benchMarket, benchResidents } from './market';
import { benchNeighbors } from './neighbors';
import { benchSoak } from './soak';
import { benchStack, PROFILE, withServer } from './stack';
import { benchVolunteers } from './volunteers';

/** A job of the bench's own, relayed but never processed. */
const benchJob = defineJob({ queue: 'notifications', name: 'bench', payload: z.object({ i: z.number() }) });

/** `BENCH_ONLY=catalog,checkout pnpm bench` runs just those parts; the soak runs only when named. */
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const only = (part: string) => (!ONLY ? part !== 'soak' : ONLY.includes(part));

console.log(machineHeader());
await setupTemplate();
const t = await setupTestApp({ LOG_LEVEL: 'warn', AUTH_RATE_LIMIT_PER_MINUTE: '1000000' });
const stack = await benchStack(t);
let failed = false;
try {
  if (only('http')) {
    const [token] = await benchResidents(t, 1, { phonePrefix: '133' });
    const auth = { authorization: `Bearer ${token}` };
    const paths: [string, string, Record<string, string>][] = [
      ['GET /healthz (baseline: no auth, no I/O)', '/healthz', {}],
      ['GET /v1/me', '/v1/me', auth],
      ['GET /v1/notifications', '/v1/notifications', auth],
      ['GET /v1/communities/:id (tree)', `/v1/communities/${await communityId()}`, auth],
    ];
    const http: Row[] = [];
    const measure = async (base: string, [name, path, headers]: (typeof paths)[number]) => {
      const probe = await fetch(`${base}${path}`, { headers });
      if (probe.status !== 200) throw new Error(`${path}: ${probe.status} ${await probe.text()}`);
      http.push({ name, ...(await load(`${base}${path}`, headers)) });
    };
    // Profiled, each path gets a server of its own, so each profile is that path's alone.
    if (PROFILE) for (const p of paths) await withServer(stack, p[0], (s) => measure(s.url, p));
    else
      await withServer(stack, 'http', async (s) => {
        for (const p of paths) await measure(s.url, p);
      });
    print(`HTTP, production server, ${CONNECTIONS} connections x ${DURATION}s`, http, 'req/s');
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
    // Nobody processes the bench's jobs: left queued, a worker process started later would take them.
    await queue.obliterate({ force: true });
    print(
      `Jobs, ${N} jobs`,
      [
        { name: 'queue.addBulk (baseline)', rps: direct },
        { name: 'outbox relay (batches of 100)', rps: relayed },
      ],
      'jobs/s',
    );
  }

  await benchMarket(t, stack, only);
  await benchBatch(t, only);
  await benchCare(t, stack, only);
  await benchVolunteers(only);
  await benchNeighbors(t, stack, only);
  await benchAlerts(t, stack, only);
  if (only('soak')) failed = !(await benchSoak(t, stack));
} finally {
  await stack.close();
  await t.close();
}
if (failed) process.exitCode = 1;

async function communityId(): Promise<string> {
  const rows = (await t.deps.db.execute(sql`SELECT id FROM communities LIMIT 1`)) as unknown as {
    id: string;
  }[];
  return rows[0]!.id;
}
