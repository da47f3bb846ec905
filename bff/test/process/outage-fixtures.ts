import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { createDb, type Db } from '../../src/db/client';
import { communities, merchantCommunities, merchants, products, userRoles, users } from '../../src/db/schema';
import { DEMO_COMMUNITY } from '../../src/demo';
import { pingRedis } from '../../src/infra/embedded-redis';
import { signAccessToken } from '../../src/modules/auth/tokens';
import { ALWAYS_OPEN } from '../fixtures/market';
import { answers, freePort, spawnNode, until } from './spawn';

/** Helpers for the outage tests: a Redis and a PostgreSQL of the test's own to stop, and load. */

const run = promisify(execFile);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- a private Redis ----------------------------------------------------------------------------

export interface PrivateRedis {
  url: string;
  pid(): number | undefined;
  /** Stops the server the way a service manager does (SIGTERM: it syncs its AOF and exits). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory; resolves once it answers PING. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A redis-server configured as BullMQ needs in production: an append-only file (so a restart
 * keeps the queues, the delayed jobs, the schedulers and the completed jobs whose ids make an
 * outbox replay a no-op), fsync every second (Redis's default), and `noeviction` (an evicted
 * job or lock key is a job lost or run twice). No RDB snapshots: the AOF is the copy.
 */
export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'linli-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawn(
      '/usr/bin/redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    await until(() => pingRedis(url, 200), 15_000);
  };
  const stop = async () => {
    const s = server;
    if (!s || s.exitCode !== null || s.signalCode !== null) return;
    const exited = once(s, 'exit');
    s.kill('SIGTERM');
    const timer = setTimeout(() => s.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  await start();
  return {
    url,
    pid: () => server?.pid,
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- a private PostgreSQL -----------------------------------------------------------------------

const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  url: string;
  /** `pg_ctl stop`: `fast` ends every session cleanly, `immediate` quits like a crash. */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A PostgreSQL cluster of the test's own (initdb and start take well under a second here), on a
 * free port with its socket in its own directory, holding a copy of the migrated, seeded template
 * of the shared server. initdb refuses to run as root, so as root it runs as `postgres`.
 */
export async function privatePostgres(template: string, adminUrl: string): Promise<PrivatePostgres> {
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'linli-pg-'));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const uid = Number(stdout.trim());
    chownSync(dir, uid, uid);
  }
  const pg = (bin: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args])
      : run(join(PG_BIN, bin), args);
  const data = join(dir, 'data');
  const port = await freePort();
  await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  // fsync off: no machine crash is simulated here, and a process crash (immediate stop) loses
  // nothing the WAL in the page cache does not still hold.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const start = async () => {
    await pg('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
  };
  const stop = async (mode: 'fast' | 'immediate') => {
    await pg('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']);
  };
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/linli`;
  // The template's schema and seed, copied over: the same start every test database has.
  const src = new URL(adminUrl);
  await run('psql', [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    'postgres',
    '-qc',
    'CREATE DATABASE linli',
  ]);
  await run('sh', [
    '-c',
    `pg_dump -h ${src.hostname} -p ${src.port || 5432} -U ${src.username || 'postgres'} --no-owner --no-privileges ${template} | psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p ${port} -U postgres linli`,
  ]);
  return {
    url,
    stop,
    start,
    async close() {
      await stop('immediate').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- people, a shop, products -------------------------------------------------------------------

export interface Who {
  userId: string;
  authorization: string;
}

export interface Market {
  communityId: string;
  shopId: string;
  productId: string;
  stock: number;
  residents: Who[];
  operator: Who;
  staff: Who;
}

async function token(userId: string, secret: string): Promise<Who> {
  return { userId, authorization: `Bearer ${await signAccessToken(userId, secret, 3600)}` };
}

/** A verified, always-open shop of the test's own in the demo community, residents, an operator. */
export async function makeMarket(db: Db, secret: string, opts: { residents: number; stock: number }) {
  const tag = `${process.pid % 1000}`.padStart(3, '0');
  const [community] = await db
    .select({ id: communities.id })
    .from(communities)
    .where(eq(communities.name, DEMO_COMMUNITY));
  const people = await db
    .insert(users)
    .values(
      Array.from({ length: opts.residents + 2 }, (_, i) => ({
        phone: `136${tag}${String(i).padStart(5, '0')}`,
        name: `居民${i}`,
      })),
    )
    .returning({ id: users.id });
  const [owner, operator, ...residents] = people;
  await db.insert(userRoles).values([
    { userId: owner!.id, role: 'merchant' },
    { userId: operator!.id, role: 'operator' },
  ]);
  const [shop] = await db
    .insert(merchants)
    .values({
      ownerId: owner!.id,
      name: `停电测试小店${tag}`,
      category: 'produce',
      contactPhone: '13912345678',
      address: '黌门街 1 号',
      lat: 30.6575,
      lng: 104.0665,
      hours: ALWAYS_OPEN,
      minOrderFen: 0,
      status: 'open',
      homeRadiusM: 3000,
      homeFeeFen: 300,
      offersShopPickup: true,
    })
    .returning({ id: merchants.id });
  await db.insert(merchantCommunities).values({ merchantId: shop!.id, communityId: community!.id });
  const [product] = await db
    .insert(products)
    .values({
      merchantId: shop!.id,
      name: '停电青菜',
      category: '蔬菜',
      unit: '斤',
      priceFen: 500,
      stock: opts.stock,
      sortOrder: 0,
    })
    .returning({ id: products.id });
  const [staffUser] = await db.select({ id: users.id }).from(users).where(eq(users.phone, '13800000001'));
  return {
    communityId: community!.id,
    shopId: shop!.id,
    productId: product!.id,
    stock: opts.stock,
    residents: await Promise.all(residents.map((r) => token(r.id, secret))),
    operator: await token(operator!.id, secret),
    staff: await token(staffUser!.id, secret),
  } satisfies Market;
}

/** Everything the shop's orders left behind, read in one snapshot. */
export async function orderLedger(db: Db, m: Pick<Market, 'shopId' | 'productId'>) {
  const rows = (await db.execute(sql`
    SELECT o.id, o.status,
      (SELECT coalesce(sum(quantity), 0)::int FROM order_items i WHERE i.order_id = o.id) AS quantity,
      (SELECT count(*)::int FROM order_items i WHERE i.order_id = o.id) AS items,
      (SELECT count(*)::int FROM order_events e WHERE e.order_id = o.id AND e.event = 'create') AS created,
      (SELECT count(*)::int FROM order_events e WHERE e.order_id = o.id AND e.event = 'expire') AS expired,
      (SELECT count(*)::int FROM outbox x WHERE x.job_name = 'order.expire'
        AND x.payload->>'orderId' = o.id::text) AS expiry_rows
    FROM orders o WHERE o.merchant_id = ${m.shopId}`)) as unknown as {
    id: string;
    status: string;
    quantity: number;
    items: number;
    created: number;
    expired: number;
    expiry_rows: number;
  }[];
  const [p] = await db.select({ stock: products.stock }).from(products).where(eq(products.id, m.productId));
  return { orders: rows, stock: p!.stock };
}

export { createDb };

// ---- load ---------------------------------------------------------------------------------------

export interface Sample {
  kind: 'catalog' | 'me' | 'order';
  /** When it was sent and answered, ms since the load started. */
  sentAt: number;
  doneAt: number;
  status: number;
  code?: string;
  orderId?: string;
  key: string;
}

let keySeq = 0;

/**
 * `concurrency` residents, each browsing the catalog and placing an order of one unit in turn, as
 * fast as answers come (with a short pause), until stopped. A request that has not answered in
 * `timeoutMs` counts as status 0, like one whose connection failed.
 */
export function startLoad(
  base: string,
  m: Market,
  opts: { concurrency: number; pauseMs?: number; timeoutMs?: number },
) {
  const samples: Sample[] = [];
  const t0 = performance.now();
  let stopped = false;
  const call = async (kind: Sample['kind'], who: Who, init: RequestInit & { url: string }) => {
    const key = `outage-${process.pid}-${++keySeq}`;
    const sentAt = performance.now() - t0;
    let status = 0;
    let body: { id?: string; error?: { code?: string } } | undefined;
    try {
      const res = await fetch(init.url, {
        ...init,
        headers: {
          authorization: who.authorization,
          ...(kind === 'order' ? { 'content-type': 'application/json', 'idempotency-key': key } : {}),
        },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      status = res.status;
      body = (await res.json().catch(() => undefined)) as typeof body;
    } catch {}
    samples.push({
      kind,
      sentAt,
      doneAt: performance.now() - t0,
      status,
      code: body?.error?.code,
      orderId: kind === 'order' && status === 201 ? body?.id : undefined,
      key,
    });
  };
  const vu = async (i: number) => {
    const who = m.residents[i % m.residents.length]!;
    while (!stopped) {
      await call('catalog', who, { url: `${base}/v1/products?communityId=${m.communityId}` });
      if (stopped) break;
      // /v1/me sends several reads at once across the pool: a restart must not wedge any of them.
      await call('me', who, { url: `${base}/v1/me` });
      if (stopped) break;
      await call('order', who, {
        url: `${base}/v1/orders`,
        method: 'POST',
        body: JSON.stringify({
          merchantId: m.shopId,
          items: [{ productId: m.productId, quantity: 1 }],
          delivery: { mode: 'shop_pickup' },
        }),
      });
      await sleep(opts.pauseMs ?? 20);
    }
  };
  const running = Promise.all(Array.from({ length: opts.concurrency }, (_, i) => vu(i)));
  return {
    samples,
    now: () => performance.now() - t0,
    async stop() {
      stopped = true;
      await running;
    },
  };
}

/** Counts of `kind:status` (and error code) among the samples `keep` picks. */
export function tally(samples: Sample[], keep: (s: Sample) => boolean = () => true) {
  const out: Record<string, number> = {};
  for (const s of samples)
    if (keep(s)) {
      const k = `${s.kind}:${s.status}${s.code ? ` ${s.code}` : ''}`;
      out[k] = (out[k] ?? 0) + 1;
    }
  return out;
}

/** Answered before `t`. */
export const doneBefore = (t: number) => (s: Sample) => s.doneAt < t;
/** Sent at or after `from` and answered before `to`: wholly inside the interval. */
export const within =
  (from: number, to = Number.POSITIVE_INFINITY) =>
  (s: Sample) =>
    s.sentAt >= from && s.doneAt < to;
/** Waiting for an answer at some time in [from, to]. */
export const overlapping = (from: number, to: number) => (s: Sample) => s.sentAt <= to && s.doneAt >= from;

/** One API and one worker process from bff/dist on `env`, once both are up. */
export async function startApiAndWorker(env: Record<string, string>) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const api = spawnNode(['--enable-source-maps', 'dist/server.js'], { ...env, PORT: String(port) });
  const worker = spawnNode(['--enable-source-maps', 'dist/worker.js'], env);
  await Promise.all([
    answers(`${base}/readyz`, 200, 45_000),
    until(() => worker.output().includes('worker running') || worker.child.exitCode !== null, 45_000),
  ]);
  return { base, api, worker };
}

/** Kills the test's processes; one that died on its own says why. */
export function killAll(procs: ReturnType<typeof spawnNode>[]) {
  for (const p of procs) {
    if (p.child.exitCode !== null) console.error(p.output().slice(-4000));
    p.child.kill('SIGKILL');
  }
}
