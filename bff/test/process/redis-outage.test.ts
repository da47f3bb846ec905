import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import { inArray, isNull, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client';
import { outbox } from '../../src/db/schema';
import { type FakeWechat, startFakeWechat } from '../../src/integrations/wechat/fake-server';
import { createTestDatabase } from '../pg-admin';
import {
  createDb,
  doneBefore,
  killAll,
  type Market,
  makeMarket,
  orderLedger,
  overlapping,
  type PrivateRedis,
  privateRedis,
  sleep,
  startApiAndWorker,
  startLoad,
  tally,
  within,
} from './outage-fixtures';
import { BFF_DIR, productionEnv, type spawnNode, until } from './spawn';

/**
 * Redis stopped (not paused: the process exits and every connection drops) for 30 s while
 * residents browse and order, then started again on the same port and data directory, as a
 * service manager restarts it: production Redis for BullMQ keeps an append-only file and never
 * evicts (see privateRedis), so what it held before the stop is there after it.
 *
 * One API and one worker process from the compiled build. What needs Redis answers a clean 503;
 * the catalog and checkout (which write the outbox in PostgreSQL) keep answering; the worker
 * reconnects by itself; the outbox rows committed during the outage reach BullMQ once each, and
 * each order's expiry runs once.
 */
const OUTAGE_MS = 30_000;
const SECRET = 'p'.repeat(40);
const AUTH_LIMIT = 3;
/** Unpaid orders expire this soon here, so every order's expiry job runs within the test. */
const PAY_TIMEOUT_S = 5;

let db: { url: string; drop(): Promise<void> };
let wechat: FakeWechat;
let redis: PrivateRedis;
let h: { db: Db; close(): Promise<void> };
let m: Market;
const procs: ReturnType<typeof spawnNode>[] = [];
let base: string;
const prefix = `outage_${process.pid}`;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: BFF_DIR });
  [db, wechat, redis] = await Promise.all([createTestDatabase(), startFakeWechat(), privateRedis()]);
  h = createDb(db.url, { max: 4 });
  m = await makeMarket(h.db, SECRET, { residents: 12, stock: 100_000 });
  const env = {
    ...productionEnv(db.url, wechat.url),
    REDIS_URL: redis.url,
    QUEUE_PREFIX: prefix,
    JWT_SECRET: SECRET,
    ORDER_PAY_TIMEOUT_SECONDS: String(PAY_TIMEOUT_S),
    AUTH_RATE_LIMIT_PER_MINUTE: String(AUTH_LIMIT),
    LOG_LEVEL: 'warn',
  };
  const started = await startApiAndWorker(env);
  base = started.base;
  procs.push(started.api, started.worker);
  expect(started.worker.child.exitCode).toBeNull();
}, 120_000);

afterAll(async () => {
  killAll(procs);
  await h?.close();
  await redis?.close();
  await wechat?.close();
  await db?.drop();
});

/** Enough of an answer's shape for what the test reads. */
type Json = { [key: string]: unknown; items?: { id: string }[] };
const get = async (path: string, who?: { authorization: string }) => {
  const res = await fetch(`${base}${path}`, {
    headers: who ? { authorization: who.authorization } : {},
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as Json | undefined };
};
const post = async (path: string, body: unknown, who?: { authorization: string }) => {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(who ? { authorization: who.authorization } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as Json | undefined };
};
const login = (i: number) => post('/v1/auth/wechat', { code: `dev:outage-${process.pid}-${i}` });
const board = () => get('/admin/queues/api/queues', m.operator);
const UNAVAILABLE = { error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) } };

describe('Redis stopped for 30 s under load, then restarted', () => {
  it('degrades to 503 where Redis is needed, keeps checkout up, and loses or repeats no job', async () => {
    const windows = await get(`/v1/delivery-windows?communityId=${m.communityId}`, m.staff);
    expect(windows.status).toBe(200);
    const windowId = windows.body!.items![0]!.id;
    const [api, worker] = procs as [ReturnType<typeof spawnNode>, ReturnType<typeof spawnNode>];
    const pids = [api.child.pid, worker.child.pid];

    const load = startLoad(base, m, { concurrency: 4, pauseMs: 250 });
    await until(() => load.samples.filter((s) => s.status === 201).length >= 20, 20_000).catch((e) => {
      throw new Error(`no orders under load: ${JSON.stringify(tally(load.samples))}`, { cause: e });
    });

    const down = load.now();
    await redis.stop();
    await until(async () => (await get('/readyz')).status === 503, 10_000);

    const refusing = performance.now();
    const during = {
      ready: await get('/readyz'),
      board: await board(),
      close: await post(`/v1/staff/delivery-windows/${windowId}/close`, {}, m.staff),
      // The sign-in limit is counted in this process's memory while Redis is away.
      logins: [] as number[],
    };
    const refusedInMs = performance.now() - refusing;
    for (let i = 0; i < AUTH_LIMIT + 2; i++) during.logins.push((await login(i)).status);

    await sleep(Math.max(0, OUTAGE_MS - (load.now() - down)));
    const snapshotAt = load.now();
    const outboxDuring = await h.db.select({ id: outbox.id }).from(outbox).where(isNull(outbox.sentAt));
    await redis.start();
    const up = load.now();
    await until(async () => (await get('/readyz')).status === 200, 20_000);
    const readyAgainMs = load.now() - up;
    // A little load after the return, then stop.
    const afterUp = load.samples.length;
    await until(() => load.samples.length >= afterUp + 40, 20_000);
    await load.stop();

    const after = {
      board: await board(),
      close: await post(`/v1/staff/delivery-windows/${windowId}/close`, {}, m.staff),
      login: (await login(100)).status,
    };

    const figures = {
      before: tally(load.samples, doneBefore(down)),
      during: tally(load.samples, overlapping(down, up)),
      after: tally(load.samples, within(up)),
      readyAgainMs: Math.round(readyAgainMs),
      threeRefusalsMs: Math.round(refusedInMs),
      outboxPendingAtRestart: outboxDuring.length,
    };
    console.log('redis outage:', JSON.stringify(figures));

    expect(during.ready).toEqual({
      status: 503,
      body: { status: 'not_ready', postgres: 'ok', redis: 'down' },
    });
    // Refused at once (no command is even sent to a connection that is down), not after a wait.
    expect(refusedInMs).toBeLessThan(4000);
    expect(during.board).toEqual({ status: 503, body: UNAVAILABLE });
    expect(during.close).toEqual({ status: 503, body: UNAVAILABLE });
    expect(during.logins).toEqual([...Array(AUTH_LIMIT).fill(200), 429, 429]);

    // Browsing and ordering never needed Redis: every answer, in every phase, is a success.
    for (const s of load.samples) expect(`${s.kind}:${s.status}`).toMatch(/^(catalog:200|me:200|order:201)$/);
    expect(figures.during['order:201'] ?? 0).toBeGreaterThan(20);
    // Each order answered during the outage left its expiry in the outbox, waiting for Redis.
    expect(outboxDuring.length).toBeGreaterThanOrEqual(
      tally(load.samples, within(down, snapshotAt))['order:201']!,
    );

    expect(after.board.status).toBe(200);
    expect(after.close.status).toBe(200);
    expect(after.close.body).toMatchObject({ id: windowId, status: 'closed' });
    expect(after.login).toBe(200);

    // Nobody restarted anything: the same two processes run on.
    expect([api.child.exitCode, worker.child.exitCode]).toEqual([null, null]);
    expect([api.child.pid, worker.child.pid]).toEqual(pids);

    // The worker relays everything committed while Redis was away, and runs every expiry.
    const placed = load.samples.filter((s) => s.orderId).map((s) => s.orderId!);
    await until(async () => {
      const [left] = await h.db
        .select({ n: sql<number>`count(*)::int` })
        .from(outbox)
        .where(isNull(outbox.sentAt));
      return left!.n === 0;
    }, 30_000);
    await until(async () => {
      const { orders } = await orderLedger(h.db, m);
      return orders.every((o) => o.status === 'cancelled');
    }, 30_000);

    // The worker said what happened in a few lines, not one per relay pass (four a second).
    expect(worker.output()).toContain('outbox relay works again');
    expect(worker.output().match(/outbox relay failed/g)?.length ?? 0).toBeLessThanOrEqual(5);

    const ledger = await orderLedger(h.db, m);
    expect(ledger.orders.map((o) => o.id).sort()).toEqual([...placed].sort());
    for (const o of ledger.orders)
      expect({ created: o.created, expired: o.expired, expiryRows: o.expiry_rows }, o.id).toEqual({
        created: 1,
        expired: 1,
        expiryRows: 1,
      });
    // Every unit sold came back when its order expired, once.
    expect(ledger.stock).toBe(m.stock);

    // BullMQ got one job per outbox row, and one expiry job per order: none lost, none doubled.
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const orders = new Queue('orders', { connection, prefix });
    try {
      const rows = await h.db
        .select({ id: outbox.id, jobName: outbox.jobName })
        .from(outbox)
        .where(
          inArray(
            outbox.id,
            outboxDuring.map((r) => r.id),
          ),
        );
      for (const r of rows) expect(await orders.getJob(r.id), r.id).toBeDefined();
      const jobs = (await orders.getJobs(['completed', 'failed', 'delayed', 'waiting', 'active'])).filter(
        (j) => j?.name === 'order.expire',
      );
      const perOrder = new Map<string, number>();
      for (const j of jobs) perOrder.set(j.data.orderId, (perOrder.get(j.data.orderId) ?? 0) + 1);
      expect([...perOrder.keys()].sort()).toEqual([...placed].sort());
      expect([...perOrder.values()].every((n) => n === 1)).toBe(true);
      expect(jobs.every((j) => j.finishedOn && !j.failedReason)).toBe(true);
      const restarted = jobs.filter((j) => j.attemptsStarted > 1).length;
      console.log('redis outage: expiry jobs', jobs.length, 'started more than once', restarted);
    } finally {
      await orders.close();
      connection.disconnect();
    }
  }, 120_000);
});
