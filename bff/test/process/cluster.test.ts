import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import { and, count, eq, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../src/db/client';
import { orders, outbox, products } from '../../src/db/schema';
import { type FakeWechat, startFakeWechat } from '../../src/integrations/wechat/fake-server';
import { queueNames } from '../../src/modules';
import { REDIS_URL } from '../helper';
import { createTestDatabase } from '../pg-admin';
import { startLoadBalancer } from './cluster-lb';
import {
  type Api,
  makeResidents,
  makeShop,
  type Proc,
  type Resident,
  startApi,
  startWorker,
} from './cluster-procs';
import { BFF_DIR, productionEnv, until } from './spawn';

/**
 * Two API processes and two worker processes from the compiled build, on one PostgreSQL database
 * and one Redis prefix, behave as one: stock is sold exactly once across both APIs, each outbox row
 * reaches BullMQ once although both workers relay, a job scheduler fires once per tick although
 * both workers registered it, and a rolling restart behind a load balancer drops no request.
 */
const SWEEP_EVERY_MS = 1000;
// Well above the balancer's check interval, as in production (5 s against checks every few seconds),
// with room for a loaded machine's slow health checks.
const DRAIN_MS = 2500;

let db: { url: string; drop(): Promise<void> };
let wechat: FakeWechat;
let handle: DbHandle;
let redis: Redis;
let env: Record<string, string>;
let prefix: string;
const apis: Api[] = [];
const workers: Proc[] = [];

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: BFF_DIR });
  db = await createTestDatabase();
  wechat = await startFakeWechat();
  handle = createDb(db.url, { max: 4 });
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  prefix = `cluster_${randomBytes(4).toString('hex')}`;
  env = {
    ...productionEnv(db.url, wechat.url),
    QUEUE_PREFIX: prefix,
    SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
    REQUEST_SWEEP_EVERY_MS: String(SWEEP_EVERY_MS),
    LOG_LEVEL: 'warn',
  };
  const t0 = Date.now();
  const started = await Promise.all([
    startApi('api-1', env),
    startApi('api-2', env),
    startWorker('worker-1', env),
    startWorker('worker-2', env),
  ]);
  apis.push(started[0], started[1]);
  workers.push(started[2], started[3]);
  console.log(`cluster: two APIs and two workers up in ${Date.now() - t0} ms`);
}, 300_000);

afterAll(async () => {
  await Promise.all([...apis, ...workers].map((p) => p.stop()));
  if (redis) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  }
  await handle?.close();
  await wechat?.close();
  await db?.drop();
}, 60_000);

const jwtSecret = () => env.JWT_SECRET!;
let residentSeq = 0;
const residents = (n: number) => {
  const from = residentSeq;
  residentSeq += n;
  return makeResidents(handle.db, n, jwtSecret(), from);
};

let keySeq = 0;
async function placeOrder(base: string, who: Resident, merchantId: string, productId: string) {
  const res = await fetch(`${base}/v1/orders`, {
    method: 'POST',
    headers: {
      authorization: who.authorization,
      'content-type': 'application/json',
      'idempotency-key': `cluster-${process.pid}-${++keySeq}`,
    },
    body: JSON.stringify({
      merchantId,
      items: [{ productId, quantity: 1 }],
      delivery: { mode: 'shop_pickup' },
    }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads response bodies structurally
  return { status: res.status, body: (await res.json()) as any };
}

const queue = (name: string) => new Queue(name, { connection: redis, prefix });

describe('two APIs and two workers on one PostgreSQL and one Redis', () => {
  it('sells 100 units to 130 residents racing across both APIs exactly once, and relays every outbox row once', async () => {
    const shop = await makeShop(handle.db, [100]);
    const productId = shop.productIds[0]!;
    const people = await residents(130);

    // Watch the stock while they race: it may only fall, and never below zero.
    let lowest = 100;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const [p] = await handle.db
          .select({ stock: products.stock })
          .from(products)
          .where(eq(products.id, productId));
        lowest = Math.min(lowest, p!.stock);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const raceStarted = Date.now();
    const results = await Promise.all(
      people.map((p, i) =>
        placeOrder(apis[i % 2]!.url, p, shop.id, productId).then((r) => ({ ...r, api: i % 2 })),
      ),
    );
    const raceMs = Date.now() - raceStarted;
    watching = false;
    await watcher;

    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    expect({ created: created.length, refused: refused.length }).toEqual({ created: 100, refused: 30 });
    for (const r of refused) expect(r.body.error.code).toBe('STOCK_INSUFFICIENT');
    // Both APIs sold some: the race really ran across the two processes.
    expect(new Set(created.map((r) => r.api)).size).toBe(2);
    const [stored] = await handle.db
      .select({ n: count() })
      .from(orders)
      .where(eq(orders.merchantId, shop.id));
    expect(stored!.n).toBe(100);
    const [left] = await handle.db
      .select({ stock: products.stock })
      .from(products)
      .where(eq(products.id, productId));
    expect(left!.stock).toBe(0);
    expect(lowest).toBeGreaterThanOrEqual(0);

    // Both workers relay the outbox; every row is claimed by one of them, once.
    await until(async () => {
      const [pending] = await handle.db
        .select({ n: count() })
        .from(outbox)
        .where(sql`${outbox.sentAt} IS NULL`);
      return pending!.n === 0;
    }, 60_000);
    const rows = await handle.db
      .select({ id: outbox.id, queue: outbox.queue, jobName: outbox.jobName, attempts: outbox.attempts })
      .from(outbox);
    const ours = await handle.db
      .select({ n: count() })
      .from(outbox)
      .where(
        and(
          eq(outbox.jobName, 'order.expire'),
          sql`${outbox.payload}->>'orderId' IN (
        SELECT id::text FROM orders WHERE merchant_id = ${shop.id})`,
        ),
      );
    expect(ours[0]!.n).toBe(100);
    expect(rows.filter((r) => r.attempts !== 1)).toEqual([]);
    console.log(
      `orders: ${created.length} placed (${created.filter((r) => r.api === 0).length} on api-1), ${refused.length} refused, in ${raceMs} ms; ${rows.length} outbox rows relayed once`,
    );

    // BullMQ holds one job per row under the row's id, and was asked to add each exactly once:
    // its event stream has one `added` per id and no `duplicated` (an add of an id it already had).
    for (const name of new Set(rows.map((r) => r.queue))) {
      const queued = rows.filter((r) => r.queue === name);
      const q = queue(name);
      for (const r of queued) {
        const job = await q.getJob(r.id);
        expect(job?.name, `job ${r.id}`).toBe(r.jobName);
      }
      const events = (await redis.xrange(`${prefix}:${name}:events`, '-', '+')) as [string, string[]][];
      const added = new Map<string, number>();
      const duplicated: string[] = [];
      for (const [, fields] of events) {
        const f = Object.fromEntries(
          Array.from({ length: fields.length / 2 }, (_, i) => [fields[2 * i], fields[2 * i + 1]]),
        );
        if (f.event === 'added') added.set(f.jobId!, (added.get(f.jobId!) ?? 0) + 1);
        if (f.event === 'duplicated') duplicated.push(f.jobId!);
      }
      expect(duplicated.filter((id) => queued.some((r) => r.id === id))).toEqual([]);
      for (const r of queued) expect(added.get(r.id), `added events of ${r.id}`).toBe(1);
    }
  }, 120_000);

  it('fires a job scheduler once per tick although both workers registered it', async () => {
    const requests = queue('requests');
    // Every scheduler the modules start is registered once, with one next run waiting, not one per worker.
    for (const name of queueNames()) {
      const q = queue(name);
      const schedulers = await q.getJobSchedulers();
      const pending = await q.getJobs(['delayed', 'waiting', 'prioritized']);
      for (const s of schedulers) {
        const next = pending.filter((j) => j.repeatJobKey === s.key);
        expect(next.length, `pending runs of ${name}/${s.key}`).toBeLessThanOrEqual(1);
        if (s.key !== 'requests.sweep') expect(next.length, `pending runs of ${name}/${s.key}`).toBe(1);
      }
    }
    const sweep = (await requests.getJobSchedulers()).filter((s) => s.key === 'requests.sweep');
    expect(sweep).toHaveLength(1);
    expect(Number(sweep[0]!.every)).toBe(SWEEP_EVERY_MS);

    // Watch real ticks: each run's id carries its tick (repeat:<scheduler>:<millis>).
    const runs = async () =>
      (await requests.getJobs(['completed']))
        .filter((j) => j.repeatJobKey === 'requests.sweep')
        .map((j) => ({ tick: Number(String(j.id).split(':').pop()), attempts: j.attemptsStarted }))
        .sort((a, b) => a.tick - b.tick);
    const before = (await runs()).length;
    await until(async () => (await runs()).length >= before + 5, 60_000);
    const seen = await runs();
    expect(seen.every((r) => r.attempts === 1)).toBe(true);
    const ticks = seen.map((r) => r.tick);
    expect(new Set(ticks).size).toBe(ticks.length);
    // One run per tick: consecutive runs are a whole interval apart, never two for one tick.
    const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
    expect(
      gaps.filter((g) => g < SWEEP_EVERY_MS * 0.9),
      `gaps ${gaps.join(',')}`,
    ).toEqual([]);
    // ... and the ticks keep pace with the clock: no more runs than intervals elapsed.
    const span = ticks[ticks.length - 1]! - ticks[0]!;
    expect(ticks.length).toBeLessThanOrEqual(Math.floor(span / SWEEP_EVERY_MS) + 1);
    console.log(`scheduler: ${ticks.length} runs of requests.sweep in ${span} ms, gaps ${gaps.join(',')}`);
  }, 90_000);

  it('drops no request while both APIs are restarted one after the other behind a load balancer', async () => {
    const shop = await makeShop(handle.db, [1_000_000]);
    const productId = shop.productIds[0]!;
    const people = await residents(40);
    const lb = await startLoadBalancer({ checkEveryMs: 100 });
    try {
      for (const a of apis) lb.add(a.url);
      await until(() => lb.healthy().length === 2, 30_000);

      const outcomes: { status: number; kind: string; at: number; body?: string }[] = [];
      const ordered: string[] = [];
      let running = true;
      const started = Date.now();
      const client = async (c: number) => {
        for (let i = 0; running; i++) {
          const who = people[(c * 7 + i) % people.length]!;
          const kind = ['catalog', 'me', 'order'][i % 3]!;
          try {
            if (kind === 'order') {
              const r = await placeOrder(lb.url, who, shop.id, productId);
              outcomes.push({
                status: r.status,
                kind,
                at: Date.now() - started,
                body: r.status === 201 ? undefined : JSON.stringify(r.body),
              });
              if (r.status === 201) ordered.push(r.body.id);
            } else {
              const res = await fetch(
                kind === 'me' ? `${lb.url}/v1/me` : `${lb.url}/v1/products?communityId=${shop.communityId}`,
                { headers: { authorization: who.authorization } },
              );
              const text = await res.text();
              outcomes.push({
                status: res.status,
                kind,
                at: Date.now() - started,
                body: res.ok ? undefined : text,
              });
            }
          } catch (err) {
            outcomes.push({ status: 0, kind, at: Date.now() - started, body: String(err) });
          }
        }
      };
      const load = Promise.all(Array.from({ length: 6 }, (_, c) => client(c)));

      const [first, second] = apis as [Api, Api];
      const now = () => Date.now() - started;
      const drains: { api: string; from: number; to: number }[] = [];
      const retire = async (api: Api, probe = false) => {
        const from = now();
        api.child.kill('SIGTERM');
        if (probe) {
          // Draining: not ready (the balancer's cue), still alive and serving, closing connections.
          await until(async () => (await fetch(`${api.url}/readyz`)).status === 503, 10_000);
          expect(await (await fetch(`${api.url}/readyz`)).json()).toEqual({ status: 'draining' });
          const alive = await fetch(`${api.url}/healthz`);
          expect([alive.status, alive.headers.get('connection')]).toEqual([200, 'close']);
        }
        const code = await api.stop();
        drains.push({ api: api.name, from, to: now() });
        apis.splice(apis.indexOf(api), 1);
        lb.remove(api.url);
        return code;
      };
      const servedBy = (api: Api) => lb.served.get(api.url) ?? 0;
      await until(() => servedBy(first) >= 20 && servedBy(second) >= 20, 60_000);
      // As an orchestrator rolls a deployment: stop one, start its replacement, wait until the
      // balancer sees it ready, stop the next.
      const firstExit = await retire(first, true);
      const replacement = await startApi('api-3', env);
      apis.push(replacement);
      lb.add(replacement.url);
      await until(() => lb.healthy().includes(replacement.url), 60_000);
      const secondExit = await retire(second);
      const after = servedBy(replacement);
      await until(() => servedBy(replacement) >= after + 20, 60_000);
      running = false;
      await load;

      const failed = outcomes.filter((o) => o.status < 200 || o.status >= 300);
      const names = new Map([first, second, replacement].map((a) => [a.url, a.name]));
      const summary = {
        requests: outcomes.length,
        failed: failed.length,
        ms: now(),
        served: Object.fromEntries([...lb.served].map(([b, n]) => [names.get(b), n])),
        closedByDrain: Object.fromEntries([...lb.closing].map(([b, n]) => [names.get(b), n])),
        duringDrains: drains.map((d) => ({
          ...d,
          answered: outcomes.filter((o) => o.at >= d.from && o.at <= d.to).length,
        })),
      };
      console.log(`rolling restart: ${JSON.stringify(summary)}`);
      expect(failed.slice(0, 5)).toEqual([]);
      expect(lb.failures).toEqual([]);
      expect([firstExit, secondExit]).toEqual([0, 0]);
      // Every order the clients were told about is stored, and no other.
      const [stored] = await handle.db
        .select({ n: count() })
        .from(orders)
        .where(eq(orders.merchantId, shop.id));
      expect(stored!.n).toBe(ordered.length);
    } finally {
      await lb.close();
    }
  }, 300_000);
});
