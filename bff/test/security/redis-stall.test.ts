import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { Job } from 'bullmq';
import { and, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compartments, deliveryBatches, lockerPickups, outbox, userRoles } from '../../src/db/schema';
import { findRedisServerBinary, pingRedis } from '../../src/infra/embedded-redis';
import { enqueue } from '../../src/jobs/outbox';
import type { QueueName } from '../../src/jobs/queues';
import { buildBatchInline } from '../../src/modules/lockers/batches';
import { DEVICE_MAX_SKEW_MS } from '../../src/modules/lockers/pickup';
import { startWorkers, type WorkerRuntime } from '../../src/workers';
import { probeJob } from '../fixtures/jobs';
import {
  acceptedLockerOrder,
  lockerOrder,
  openWindow,
  produceShop,
  residentLocker,
  signedPickup,
  type Who,
} from '../fixtures/lockers';
import { makeShop, orderBody, orderStatus, payOrder, placeOrder, type TestShop } from '../fixtures/market';
import { bearer, freshPhone, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

/**
 * Redis paused (SIGSTOP) under a running app: the TCP connection stays up and nothing answers,
 * which is what a hung or swapping Redis looks like. The default command timeout is 1500 ms, so
 * "promptly" below is well under the pause a real outage lasts, with room for a slow machine.
 */
const PROMPTLY_MS = 4000;
const METRICS_TOKEN = 'redis-stall-metrics-token';
const scrape = () =>
  t.call({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: ChildProcess;
let t: TestApp;
let workers: WorkerRuntime;
let staff: Who;
let resident: Who;
let operator: Who;
let shop: TestShop;
let bank: { id: string; secret: string };
/** The delivery window staff close while Redis is paused. */
let closedDuringPause: string;
/** Jobs the test's worker took off the notifications queue. */
const seen: string[] = [];

interface Dropped {
  orderId: string;
  code: string;
  compartmentIds: string[];
  states: string[];
}
/** `stalled` meets the pause at the panel; `slow` goes stale while it waits. */
const o = {} as Record<'stalled' | 'slow', Dropped>;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

const paused = () => process.kill(server.pid!, 'SIGSTOP');
const resumed = () => process.kill(server.pid!, 'SIGCONT');
/** Runs `fn` with Redis paused; it resumes whatever happens. */
async function whilePaused<T>(fn: () => Promise<T>): Promise<T> {
  paused();
  try {
    return await fn();
  } finally {
    resumed();
  }
}

async function timed<T>(p: Promise<T>): Promise<T & { ms: number }> {
  const start = performance.now();
  const out = await p;
  return { ...out, ms: performance.now() - start };
}

const panel = (d: Dropped, at?: number) =>
  t.call({
    method: 'POST',
    url: `/v1/devices/lockers/${bank.id}/pickup`,
    ...signedPickup(bank.secret, d.code, at),
  });

async function compartmentStates(d: Dropped) {
  const rows = await t.deps.db
    .select({ id: compartments.id, state: compartments.state })
    .from(compartments)
    .where(inArray(compartments.id, d.compartmentIds));
  return rows.sort((a, b) => a.id.localeCompare(b.id)).map((r) => r.state);
}

/** Nothing spent: the order still waits, its code unused, its compartments as they were. */
async function expectUntouched(d: Dropped) {
  expect(await orderStatus(t, d.orderId)).toBe('in_locker');
  const [p] = await t.deps.db.select().from(lockerPickups).where(eq(lockerPickups.orderId, d.orderId));
  expect(p!.usedAt).toBeNull();
  expect(await compartmentStates(d)).toEqual(d.states);
}

beforeAll(async () => {
  const bin = (await findRedisServerBinary()) ?? '/usr/bin/redis-server';
  const port = await freePort();
  server = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await pingRedis(url, 200)); i++) await sleep(100);

  t = await setupTestApp({ ...TEST_ENV, REDIS_URL: url, METRICS_TOKEN, DEVICE_ANSWER_BUDGET_MS: '1200' });
  staff = await t.login(PHONES.staff);
  resident = await t.login(PHONES.resident);
  const merchant = await t.login(PHONES.merchant);
  const courier = await t.login('13800000003');
  operator = await t.login('13800000030');
  await t.deps.db
    .insert(userRoles)
    .values({ userId: operator.userId, role: 'operator' })
    .onConflictDoNothing();
  shop = await makeShop(t, { products: [{ stock: 100, priceFen: 800 }] });

  // Two orders in the resident's locker, the way the courier leaves them.
  const produce = await produceShop(t);
  const tomato = produce.ambient.find((p) => p.name === '沙瓤西红柿')!;
  const w = await openWindow(t, resident);
  const { bankId } = await residentLocker(t, resident);
  const ids: string[] = [];
  for (let i = 0; i < 2; i++)
    ids.push(
      await acceptedLockerOrder(t, resident, merchant, lockerOrder(produce.id, [tomato.id], w.id, bankId, 4)),
    );
  t.clock.set(new Date(new Date(w.cutoffAt).getTime() + 60_000));
  const batchId = await buildBatchInline(t.deps, w.id);
  const batchUrl = `/v1/courier/batches/${batchId}`;
  expect(
    (await t.call({ method: 'POST', url: `${batchUrl}/start`, headers: bearer(courier), payload: {} }))
      .status,
  ).toBe(200);
  const manifest = await t.call({ method: 'GET', url: batchUrl, headers: bearer(courier) });
  const drops = manifest.body.dropList
    .flatMap((b: { drops: { orderId: string; compartmentId: string }[] }) => b.drops)
    .filter((d: { orderId: string }) => ids.includes(d.orderId)) as {
    orderId: string;
    compartmentId: string;
  }[];
  for (const d of drops)
    expect(
      (await t.call({ method: 'POST', url: `${batchUrl}/drops`, headers: bearer(courier), payload: d }))
        .status,
    ).toBe(200);
  for (const [k, name] of (['stalled', 'slow'] as const).entries()) {
    const orderId = ids[k]!;
    const view = await t.call({ method: 'GET', url: `/v1/orders/${orderId}`, headers: bearer(resident) });
    expect(view.body.status).toBe('in_locker');
    const d: Dropped = {
      orderId,
      code: view.body.locker.code,
      compartmentIds: drops.filter((x) => x.orderId === orderId).map((x) => x.compartmentId),
      states: [],
    };
    d.states = await compartmentStates(d);
    o[name] = d;
  }
  const rotated = await t.call({
    method: 'POST',
    url: `/v1/staff/locker-banks/${bankId}/device-secret`,
    headers: bearer(staff),
    payload: {},
  });
  bank = { id: bankId, secret: rotated.body.deviceSecret };
  t.clock.set(new Date());

  workers = startWorkers(
    t.deps,
    { info() {}, warn() {}, error() {} },
    {
      processors: [
        {
          queue: 'notifications',
          concurrency: 4,
          async process(job: Job) {
            seen.push(job.id!);
          },
        },
      ],
      relayIntervalMs: 50,
      schedulers: false,
    },
  );
});

afterAll(async () => {
  // Whatever failed above, the server must not stay paused: closing the app needs it.
  if (server?.pid) resumed();
  try {
    await workers?.close();
    await t?.close();
  } finally {
    server?.kill('SIGKILL');
  }
});

describe('with Redis paused', () => {
  it('every route answers within seconds: sign-in still answers (its limit counted in this process), what needs Redis is a clean 503, checkout and pay work, and nothing is lost or done late', async () => {
    const signedIn = await t.call({
      method: 'POST',
      url: '/v1/auth/dev-login',
      payload: { phone: freshPhone() },
    });
    expect(signedIn.status).toBe(200);
    const next = await openWindow(t, resident);
    closedDuringPause = next.id;
    const buyer = await t.login(freshPhone());
    const stallStart = new Date();

    const r = await whilePaused(async () => {
      const [login, refresh, pickup, close, metrics, board, ready, health, checkout] = await Promise.all([
        timed(t.call({ method: 'POST', url: '/v1/auth/dev-login', payload: { phone: freshPhone() } })),
        timed(
          t.call({
            method: 'POST',
            url: '/v1/auth/refresh',
            payload: { refreshToken: signedIn.body.refreshToken },
          }),
        ),
        timed(panel(o.stalled)),
        timed(
          t.call({
            method: 'POST',
            url: `/v1/staff/delivery-windows/${next.id}/close`,
            headers: bearer(staff),
            payload: {},
          }),
        ),
        timed(scrape()),
        timed(t.call({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer(operator) })),
        timed(t.call({ method: 'GET', url: '/readyz' })),
        timed(t.call({ method: 'GET', url: '/healthz' })),
        timed(
          (async () => {
            const placed = await placeOrder(t, buyer, orderBody(shop, [2]));
            expect(placed.status).toBe(201);
            const { confirm } = await payOrder(t, buyer, placed.body.id);
            expect(confirm.status).toBe(200);
            return { orderId: placed.body.id as string, status: await orderStatus(t, placed.body.id) };
          })(),
        ),
      ]);
      // Still paused here: every answer above came without Redis.
      return { login, refresh, pickup, close, metrics, board, ready, health, checkout };
    });

    for (const [name, res] of Object.entries(r)) expect(res.ms, name).toBeLessThan(PROMPTLY_MS);
    // Sign-in is not refused for want of its rate limit (see plugins/rate-limit.ts).
    expect(r.login.status).toBe(200);
    expect(r.refresh.status).toBe(200);
    expect(r.refresh.body.refreshToken).not.toBe(signedIn.body.refreshToken);
    // Metrics are served from memory (their gauges refresh on a timer), so they need no Redis.
    expect(r.metrics.status).toBe(200);
    for (const res of [r.pickup, r.close, r.board]) {
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) } });
    }
    expect(r.ready.status).toBe(503);
    expect(r.ready.body).toEqual({ status: 'not_ready', postgres: 'ok', redis: 'down' });
    expect(r.health.status).toBe(200);
    expect(r.checkout.status).toBe('paid');

    // Once Redis has worked through what was sent during the pause (a PING answers after it), the
    // pickup the panel was told failed has still not happened.
    expect(await t.deps.redis.ping()).toBe('PONG');
    await sleep(300);
    await expectUntouched(o.stalled);

    // Nothing committed during the pause is lost: the relay hands every outbox row to BullMQ.
    const rows = await t.deps.db.select().from(outbox).where(gte(outbox.createdAt, stallStart));
    expect(rows.length).toBeGreaterThan(0);
    for (let i = 0; i < 100; i++) {
      const [left] = await t.deps.db
        .select({ n: sql<number>`count(*)::int` })
        .from(outbox)
        .where(and(gte(outbox.createdAt, stallStart), isNull(outbox.sentAt)));
      if (left!.n === 0) break;
      await sleep(50);
    }
    for (const row of rows)
      expect(await t.deps.queues.get(row.queue as QueueName).getJob(row.id), row.id).toBeDefined();
  });

  it('a pickup whose signature goes stale while it waits for Redis spends nothing', async () => {
    // Fresh when it arrives, stale by the time a short pause (shorter than the command timeout)
    // lets the replay check answer.
    const { pending } = await whilePaused(async () => {
      const pending = panel(o.slow, Date.now() - DEVICE_MAX_SKEW_MS + 300);
      await sleep(900);
      // Wrapped, so that Redis resumes now rather than once the request is answered.
      return { pending };
    });
    const res = await pending;
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('DEVICE_REQUEST_EXPIRED');
    await expectUntouched(o.slow);
  });
});

describe('waiting on the database', () => {
  /** Sends a panel pickup while another transaction holds the bank's row for `ms`. */
  async function pickupBehindBankLock(ms: number, signedAt?: number) {
    let locked!: () => void;
    let release!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const released = new Promise<void>((r) => (release = r));
    const holder = t.deps.sql.begin(async (tx) => {
      await tx`SELECT id FROM locker_banks WHERE id = ${bank.id} FOR UPDATE`;
      locked();
      await released;
    });
    await isLocked;
    const pending = panel(o.slow, signedAt);
    await sleep(ms);
    release();
    await holder;
    return pending;
  }

  it('a pickup whose signature goes stale while it waits for the bank row spends nothing', async () => {
    const res = await pickupBehindBankLock(1500, Date.now() - DEVICE_MAX_SKEW_MS + 800);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('DEVICE_REQUEST_EXPIRED');
    await expectUntouched(o.slow);
  });

  it('a freshly signed pickup answered after the panel stopped waiting spends nothing', async () => {
    // Signed now: the signature stays fresh for minutes, but the answer budget is 1.2 s here.
    const res = await pickupBehindBankLock(2000);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('DEVICE_REQUEST_EXPIRED');
    await expectUntouched(o.slow);
  });
});

describe('after Redis resumes', () => {
  it('everything works again, the workers included', async () => {
    const ready = await t.call({ method: 'GET', url: '/readyz' });
    expect(ready.body).toEqual({ status: 'ready', postgres: 'ok', redis: 'ok' });
    expect(
      (await t.call({ method: 'POST', url: '/v1/auth/dev-login', payload: { phone: freshPhone() } })).status,
    ).toBe(200);
    expect((await scrape()).status).toBe(200);
    expect(
      (await t.call({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer(operator) })).status,
    ).toBe(200);

    // Both orders the panel could not open before open now, with a newly signed request.
    for (const d of [o.stalled, o.slow]) {
      const res = await panel(d);
      expect(res.status).toBe(200);
      expect(res.body.orderId).toBe(d.orderId);
      expect(await orderStatus(t, d.orderId)).toBe('picked_up');
    }

    // Staff run 立即截单 again: the window that closed during the pause gets its build flow now.
    const again = await t.call({
      method: 'POST',
      url: `/v1/staff/delivery-windows/${closedDuringPause}/close`,
      headers: bearer(staff),
      payload: {},
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: closedDuringPause, status: 'closed' });
    const [batch] = await t.deps.db
      .select({ id: deliveryBatches.id })
      .from(deliveryBatches)
      .where(eq(deliveryBatches.windowId, closedDuringPause));
    expect(await t.deps.queues.get('lockers').getJob(`batch-finalize-${batch!.id}`)).toBeDefined();

    // The worker that sat through the pause still takes jobs.
    const id = await enqueue(t.deps.db, probeJob, {});
    for (let i = 0; i < 100 && !seen.includes(id); i++) await sleep(50);
    expect(seen).toContain(id);
  });
});
