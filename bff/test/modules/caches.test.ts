import { once } from 'node:events';
import { createServer, type Server, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { products } from '../../src/db/schema';
import { openRuntime, type Runtime } from '../../src/runtime';
import { makeShop, newKey, orderBody, payOrder, placeOrder, type TestShop } from '../fixtures/market';
import { freshPhone, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

/**
 * The in-process caches as two processes see them: app `t` and a second app on the same database
 * with its own pool, change feed and caches (what a second API process is), whose database traffic
 * goes through a loopback proxy that counts round trips on the request's critical path: each time
 * the app sends, on any connection, after the server has answered anything since its last send.
 * Queries sent together on several connections are one round trip; a query that needed an answer
 * first is another.
 */
class RoundTripCounter {
  turns = 0;
  private answered = true;
  private server: Server;
  constructor(target: { host: string; port: number }) {
    this.server = createServer((client: Socket) => {
      const upstream = new Socket();
      upstream.connect(target.port, target.host);
      client.on('data', (d) => {
        if (this.answered) this.turns += 1;
        this.answered = false;
        upstream.write(d);
      });
      upstream.on('data', (d) => {
        this.answered = true;
        client.write(d);
      });
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
  }
  async listen(): Promise<number> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as { port: number }).port;
  }
  close() {
    this.server.close();
  }
}

let t: TestApp;
let other: { app: FastifyInstance; deps: Runtime };
let counter: RoundTripCounter;
let shop: TestShop;
let communityId: string;

const until = async (check: () => Promise<boolean>, ms = 2_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  const url = new URL(t.deps.config.DATABASE_URL!);
  counter = new RoundTripCounter({ host: url.hostname, port: Number(url.port || 5432) });
  const port = await counter.listen();
  url.port = String(port);
  const deps = openRuntime({ ...t.deps.config, DATABASE_URL: url.toString() }, { dbMax: 5 });
  deps.clock = t.clock;
  other = { app: await buildApp(deps), deps };
  await other.app.ready();
  shop = await makeShop(t, { products: [{ name: '缓存测试青菜', stock: 50 }] });
  const [row] = await t.deps.sql<{ id: string }[]>`
    SELECT community_id AS id FROM merchant_communities WHERE merchant_id = ${shop.id}`;
  communityId = row!.id;
  await until(async () => Boolean(t.deps.changes?.live && other.deps.changes?.live));
}, 60_000);
afterAll(async () => {
  await other?.app.close();
  await other?.deps.close();
  counter?.close();
  await t?.close();
});

const onOther = async (url: string, headers: Record<string, string>) => {
  const res = await other.app.inject({ method: 'GET', url, headers });
  return { status: res.statusCode, headers: res.headers, body: res.body, raw: res.rawPayload };
};
/**
 * Warm means every pooled connection has the statements prepared (a new statement is described
 * in a round trip of its own first): a few rounds of concurrent requests get there.
 */
async function warm(url: string, headers: Record<string, string>) {
  for (let round = 0; round < 4; round++)
    await Promise.all(Array.from({ length: 8 }, () => onOther(url, headers)));
}

/**
 * Round trips the second app makes to the database while answering one request: the fewest of
 * three answers, since a statement meeting a pooled connection for the first time still costs a
 * description round trip there however long the warm-up was (which connection a query lands on is
 * the pool's choice).
 */
async function roundTrips(url: string, headers: Record<string, string>) {
  let fewest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const before = counter.turns;
    const res = await onOther(url, headers);
    expect(res.status).toBe(200);
    fewest = Math.min(fewest, counter.turns - before);
  }
  return fewest;
}

describe('the session check is answered from memory and forgets at once', () => {
  it('a warm /v1/me costs at most 2 database round trips', async () => {
    const who = await t.login(freshPhone());
    const auth = { authorization: who.authorization };
    await warm('/v1/me', auth);
    if (process.env.RT_DEBUG) console.log('---- measured');
    const once = await roundTrips('/v1/me', auth);
    expect(once).toBeGreaterThan(0);
    expect(once).toBeLessThanOrEqual(2);
  });

  it('the resident screens read in at most 2 round trips when warm', async () => {
    const who = await t.login('13800000010');
    const auth = { authorization: who.authorization };
    const [c] = await t.deps.sql<{ id: string }[]>`SELECT id FROM communities ORDER BY id LIMIT 1`;
    // An order on its way, so the home page and the order list build full order views.
    const placed = await placeOrder(t, who, orderBody(shop, [1]));
    expect(placed.status).toBe(201);
    await payOrder(t, who, placed.body.id);
    const reads = [
      '/v1/me',
      '/v1/notifications',
      '/v1/orders',
      `/v1/orders/${placed.body.id}`,
      '/v1/memberships',
      '/v1/communities',
      `/v1/communities/${c!.id}`,
      '/v1/home',
      `/v1/products?communityId=${c!.id}`,
      `/v1/product-categories?communityId=${c!.id}`,
      `/v1/merchants?communityId=${c!.id}`,
      '/v1/community/notices',
      '/v1/care/bookings',
      '/v1/requests',
    ];
    const counts: Record<string, number> = {};
    for (const url of reads) {
      await warm(url, auth);
      counts[url] = await roundTrips(url, auth);
    }
    if (process.env.RT_DEBUG) console.log(counts);
    expect(Object.entries(counts).filter(([, n]) => n > 2)).toEqual([]);
  });

  it('the merchant and staff screens read in at most 2 round trips when warm', async () => {
    // A paid order waiting for the shop, so its lists and its home card build full order views.
    const buyer = await t.login(freshPhone());
    const placed = await placeOrder(t, buyer, orderBody(shop, [1]));
    expect(placed.status).toBe(201);
    await payOrder(t, buyer, placed.body.id);
    const staff = await t.login('13800000001');
    const screens: Array<[string, { authorization: string }, string[]]> = [
      [
        'merchant',
        shop.owner,
        [
          '/v1/home',
          '/v1/merchant/profile',
          '/v1/merchant/orders',
          '/v1/merchant/orders?status=paid',
          `/v1/merchant/orders/${placed.body.id}`,
          '/v1/merchant/products',
          '/v1/merchant/stats',
        ],
      ],
      [
        'staff',
        staff,
        [
          '/v1/home',
          '/v1/staff/memberships',
          '/v1/staff/merchants',
          '/v1/staff/overdue-orders',
          '/v1/staff/batches',
        ],
      ],
    ];
    const counts: Record<string, number> = {};
    for (const [who, { authorization }, urls] of screens)
      for (const url of urls) {
        await warm(url, { authorization });
        counts[`${who} ${url}`] = await roundTrips(url, { authorization });
      }
    if (process.env.RT_DEBUG) console.log(counts);
    expect(Object.entries(counts).filter(([, n]) => n > 2)).toEqual([]);
  });

  it('a logout on one process ends the token on the other at once, though it was cached there', async () => {
    const phone = freshPhone();
    const login = (await t.call({ method: 'POST', url: '/v1/auth/dev-login', payload: { phone } })).body;
    const auth = { authorization: `Bearer ${login.accessToken}` };
    await warm('/v1/me', auth);
    const before = counter.turns;
    expect((await onOther('/v1/me', auth)).status).toBe(200);
    expect(counter.turns - before).toBeLessThanOrEqual(2);

    const out = await t.call({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: auth,
      payload: { refreshToken: login.refreshToken },
    });
    expect(out.status).toBe(200);
    // The other process hears PostgreSQL's notice: well under a request's time, never a TTL.
    const start = Date.now();
    await until(async () => (await onOther('/v1/me', auth)).status === 401, 1_000);
    expect(Date.now() - start).toBeLessThan(1_000);
    expect((await onOther('/v1/me', auth)).status).toBe(401);
  });

  it('a role granted in the database counts on the next request of a warm sign-in', async () => {
    const who = await t.login(freshPhone());
    const auth = { authorization: who.authorization };
    expect((await onOther('/v1/staff/memberships', auth)).status).toBe(403);
    await t.deps.sql`INSERT INTO user_roles (user_id, role) VALUES (${who.userId}, 'staff')`;
    // A cached answer never turns a request away: the refusal is checked against the database.
    expect((await onOther('/v1/staff/memberships', auth)).status).toBe(200);
  });

  it('a role taken away in the database stops working on the other process', async () => {
    const who = await t.login(freshPhone());
    await t.deps.sql`INSERT INTO user_roles (user_id, role) VALUES (${who.userId}, 'staff')`;
    const auth = { authorization: who.authorization };
    expect((await onOther('/v1/staff/memberships', auth)).status).toBe(200);
    await t.deps.sql`DELETE FROM user_roles WHERE user_id = ${who.userId} AND role = 'staff'`;
    await until(async () => (await onOther('/v1/staff/memberships', auth)).status === 403, 1_000);
  });
});

describe('the catalog page cache', () => {
  const catalogUrl = () => `/v1/products?communityId=${communityId}&merchantId=${shop.id}`;
  const names = (body: string) =>
    (JSON.parse(body) as { items: { name: string }[] }).items.map((p) => p.name);

  it('serves a warm page without the database, with an ETag, and 304 to a client holding it', async () => {
    const auth = { authorization: shop.owner.authorization };
    await roundTrips(catalogUrl(), auth);
    expect(await roundTrips(catalogUrl(), auth)).toBe(0);
    const first = await onOther(catalogUrl(), auth);
    expect(first.headers.etag).toMatch(/^W\/"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const again = await onOther(catalogUrl(), { ...auth, 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    const stale = await onOther(catalogUrl(), { ...auth, 'if-none-match': 'W/"something-else"' });
    expect(stale.status).toBe(200);
    expect(names(stale.body)).toContain('缓存测试青菜');
  });

  it('a product renamed on one process shows on the other at once, not after the page expires', async () => {
    const auth = { authorization: shop.owner.authorization };
    const product = shop.products[0]!;
    expect(names((await onOther(catalogUrl(), auth)).body)).toContain('缓存测试青菜');
    const res = await t.call({
      method: 'PATCH',
      url: `/v1/merchant/products/${product.id}`,
      headers: auth,
      payload: { name: '改名后的青菜' },
    });
    expect(res.status).toBe(200);
    // The writing process itself: its own next read already sees it.
    const own = await t.call({ method: 'GET', url: catalogUrl(), headers: auth });
    expect(own.body.items.map((p: { name: string }) => p.name)).toContain('改名后的青菜');
    const start = Date.now();
    await until(async () => names((await onOther(catalogUrl(), auth)).body).includes('改名后的青菜'), 900);
    expect(Date.now() - start).toBeLessThan(900);
  });

  it('stock taken by checkout shows within a second; the order itself always reads the real row', async () => {
    const auth = { authorization: shop.owner.authorization };
    const stockOf = (body: string) =>
      (JSON.parse(body) as { items: { id: string; stock: number }[] }).items.find(
        (p) => p.id === shop.products[0]!.id,
      )!.stock;
    const before = stockOf((await onOther(catalogUrl(), auth)).body);
    const buyer = await t.login(freshPhone());
    const placed = await placeOrder(t, buyer, orderBody(shop, [2]), newKey());
    expect(placed.status).toBe(201);
    const [row] = await t.deps.db
      .select({ stock: products.stock })
      .from(products)
      .where(eq(products.id, shop.products[0]!.id));
    expect(row!.stock).toBe(before - 2);
    await until(async () => stockOf((await onOther(catalogUrl(), auth)).body) === before - 2, 1_500);
  });

  it('gzips a page for a client that accepts it, once per page', async () => {
    const auth = { authorization: shop.owner.authorization, 'accept-encoding': 'gzip, deflate' };
    const url = `/v1/products?communityId=${communityId}`;
    const res = await onOther(url, auth);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toContain('accept-encoding');
    const plain = await onOther(url, { authorization: shop.owner.authorization });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(res.raw).toString()).toBe(plain.body);
  });
});

describe('the change feed', () => {
  it('comes back by itself when its connection is cut, caching nothing meanwhile', async () => {
    const feed = other.deps.changes!;
    expect(feed.live).toBe(true);
    const [row] = await t.deps.sql<{ db: string }[]>`SELECT current_database() AS db`;
    const db = row!.db;
    await t.deps.sql`
      SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = ${db} AND application_name = 'linli-change-feed' AND pid <> pg_backend_pid()`;
    await until(async () => !feed.live, 5_000);
    await until(async () => feed.live, 10_000);
    // Notices flow again: a rename through the first app reaches the second's catalog.
    const auth = { authorization: shop.owner.authorization };
    const url = `/v1/products?communityId=${communityId}&merchantId=${shop.id}`;
    await onOther(url, auth);
    await t.deps.sql`UPDATE products SET name = '重连后的青菜' WHERE id = ${shop.products[0]!.id}`;
    await until(async () => (await onOther(url, auth)).body.includes('重连后的青菜'), 900);
  });
});

describe('caching headers elsewhere', () => {
  it('personal answers are no-store; the API document is public for a minute and compressed', async () => {
    const auth = { authorization: shop.owner.authorization, 'accept-encoding': 'gzip' };
    const me = await onOther('/v1/me', auth);
    expect(me.headers['cache-control']).toBe('no-store');
    const doc = await onOther('/docs/json', { 'accept-encoding': 'gzip' });
    expect(doc.status).toBe(200);
    expect(doc.headers['cache-control']).toBe('public, max-age=60');
    expect(doc.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(doc.raw).toString()).openapi).toMatch(/^3\./);
  });
});
