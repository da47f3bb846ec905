/**
 * The market's hot paths: the catalog listing and checkout under contention on one product. Each
 * is compared with the bare minimum doing the same database work, measured in the same run.
 */
import Fastify from 'fastify';
import postgres from 'postgres';
import { uuidv7 } from 'uuidv7';
import { signAccessToken } from '../src/modules/auth/tokens';
import type { TestApp } from '../test/helper';
import { burst, CONNECTIONS, closedLoop, DURATION, load, print, type Row } from './lib';

/** The app's pool size in the bench (setupTestApp's dbMax); the bare server gets the same. */
const POOL = 20;
const ORDERS = Number(process.env.BENCH_ORDERS ?? 2000);

/** The statement listProducts runs for `?communityId=` (first page of 20 + 1 to see if there is more). */
const catalogQuery = (sql: postgres.Sql, communityId: string) => sql`
  SELECT p.id, p.merchant_id, p.name, p.category, p.unit, p.description, p.price_fen,
    p.original_price_fen, p.stock, p.per_order_limit, p.low_stock_threshold, p.temperature,
    p.size_hint, p.images, p.on_shelf, p.sort_order, p.created_at, p.updated_at,
    m.id AS m_id, m.owner_id, m.name AS m_name, m.category AS m_category,
    m.description AS m_description, m.logo_url, m.contact_phone, m.address, m.lat, m.lng, m.hours,
    m.offers_shop_pickup, m.home_radius_m, m.home_fee_fen, m.offers_locker, m.min_order_fen,
    m.status, m.verified_by, m.verified_at, m.created_at AS m_created_at
  FROM products p JOIN merchants m ON m.id = p.merchant_id
  WHERE p.on_shelf AND m.status IN ('open', 'paused')
    AND p.merchant_id IN (SELECT merchant_id FROM merchant_communities WHERE community_id = ${communityId})
  ORDER BY p.sort_order, p.id
  LIMIT 21`;

const takeOne = (sql: postgres.Sql, productId: string) =>
  sql`UPDATE products SET stock = stock - 1 WHERE id = ${productId} AND stock >= 1 RETURNING stock`;

/** A plain Fastify server with no plugins: the floor for one query behind HTTP. */
async function bareServer(sql: postgres.Sql, productId: string) {
  const app = Fastify({ logger: false });
  app.get<{ Querystring: { communityId: string } }>('/products', async (req) => {
    const rows = await catalogQuery(sql, req.query.communityId);
    return { items: rows.slice(0, 20), nextCursor: null };
  });
  app.post('/take', async () => {
    const [row] = await takeOne(sql, productId);
    return { stock: row?.stock ?? null };
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
}

export async function benchMarket(t: TestApp, base: string, only: (part: string) => boolean) {
  const db = t.deps.sql;
  const [community] = await db<{ id: string }[]>`SELECT id FROM communities LIMIT 1`;
  const communityId = community!.id;
  // The produce shop takes orders around the clock, so the bench runs at any hour.
  const [shop] = await db<{ id: string; min_order_fen: number }[]>`
    SELECT m.id, m.min_order_fen FROM merchants m JOIN users u ON u.id = m.owner_id
    WHERE u.phone = '13800000002'`;
  const [hot] = await db<{ id: string }[]>`
    INSERT INTO products (id, merchant_id, name, category, unit, price_fen, stock, per_order_limit)
    VALUES (${uuidv7()}, ${shop!.id}, '压测爆款青菜', '蔬菜', '斤', ${Math.max(shop!.min_order_fen, 100)}, 10000000, NULL)
    RETURNING id`;
  const hotId = hot!.id;

  const bareSql = postgres(t.deps.config.DATABASE_URL!, { max: POOL, onnotice: () => {} });
  const bare = await bareServer(bareSql, hotId);
  try {
    if (only('catalog')) {
      const resident = await t.login('13800000010');
      const rows: Row[] = [];
      rows.push({
        name: 'bare Fastify + same SQL (baseline)',
        ...(await load(`${bare.url}/products?communityId=${communityId}`)),
      });
      rows.push({
        name: 'GET /v1/products?communityId= (auth + page)',
        ...(await load(`${base}/v1/products?communityId=${communityId}`, {
          authorization: resident.authorization,
        })),
      });
      print(`Catalog, ${CONNECTIONS} connections x ${DURATION}s`, rows, 'req/s');
    }

    if (only('checkout')) {
      if (!t.app.hasRoute({ method: 'POST', url: '/v1/orders' }))
        throw new Error('POST /v1/orders is not registered');
      const tokens = await benchResidents(t, ORDERS);
      const body = JSON.stringify({
        merchantId: shop!.id,
        items: [{ productId: hotId, quantity: 1 }],
        delivery: { mode: 'shop_pickup' },
      });
      const stock = async () =>
        (await db<{ stock: number }[]>`SELECT stock FROM products WHERE id = ${hotId}`)[0]!.stock;

      const rows: Row[] = [];
      rows.push({
        name: 'UPDATE stock - 1 via postgres.js (baseline)',
        ...(await closedLoop(ORDERS, CONNECTIONS, () => takeOne(bareSql, hotId))),
      });
      const bareHttp = await burst(`${bare.url}/take`, ORDERS, () => ({ headers: {}, body: '{}' }));
      if (bareHttp.failures.length) throw new Error(`bare /take: ${bareHttp.failures.join('; ')}`);
      rows.push({ name: 'bare Fastify + same UPDATE', rps: bareHttp.rps, p99: bareHttp.p99 });

      const before = await stock();
      const run = Date.now().toString(36);
      const orders = await burst(`${base}/v1/orders`, ORDERS, (i) => ({
        headers: {
          authorization: `Bearer ${tokens[i % tokens.length]}`,
          'idempotency-key': `bench-${run}-${i}`,
        },
        body,
      }));
      rows.push({
        name: 'POST /v1/orders (distinct residents, one product)',
        rps: orders.rps,
        p99: orders.p99,
      });
      print(`Checkout, ${ORDERS} orders, ${CONNECTIONS} in flight, one hot product`, rows, 'orders/s');

      // The figures only count if nothing was lost or oversold on the way.
      const taken = before - (await stock());
      const [made] = await db<{ n: number }[]>`
        SELECT count(DISTINCT o.id)::int AS n FROM orders o JOIN order_items i ON i.order_id = o.id
        WHERE i.product_id = ${hotId}`;
      console.log(`  ${orders.ok} orders answered 2xx, ${made!.n} orders stored, stock taken ${taken}`);
      if (orders.failures.length) throw new Error(`POST /v1/orders failed: ${orders.failures.join('; ')}`);
      if (orders.ok !== ORDERS || made!.n !== ORDERS || taken !== ORDERS)
        throw new Error('checkout lost or duplicated orders');
    }
  } finally {
    await bare.close();
    await bareSql.end({ timeout: 5 });
  }
}

/**
 * `n` residents of the demo community with access tokens, made straight in the database (dev-login
 * is rate limited and would dominate the setup time). Care's bench makes elders the same way.
 */
export async function benchResidents(
  t: TestApp,
  n: number,
  opts: { birthDate?: string; phonePrefix?: string; householdId?: string } = {},
): Promise<string[]> {
  const db = t.deps.sql;
  const households = opts.householdId
    ? [{ id: opts.householdId }]
    : await db<{ id: string }[]>`SELECT id FROM households ORDER BY id`;
  const users = Array.from({ length: n }, (_, i) => ({
    id: uuidv7(),
    phone: `${opts.phonePrefix ?? '139'}${String(i).padStart(8, '0')}`,
    name: `压测居民${i}`,
    birth_date: opts.birthDate ?? null,
  }));
  for (let i = 0; i < n; i += 1000) {
    const chunk = users.slice(i, i + 1000);
    await db`INSERT INTO users ${db(chunk, 'id', 'phone', 'name', 'birth_date')}`;
    await db`INSERT INTO user_roles ${db(
      chunk.map((u) => ({ user_id: u.id, role: 'resident' })),
      'user_id',
      'role',
    )}`;
    await db`INSERT INTO memberships ${db(
      chunk.map((u, j) => ({
        id: uuidv7(),
        user_id: u.id,
        household_id: households[(i + j) % households.length]!.id,
        status: 'approved',
      })),
      'id',
      'user_id',
      'household_id',
      'status',
    )}`;
  }
  const { JWT_SECRET } = t.deps.config;
  return Promise.all(users.map((u) => signAccessToken(u.id, JWT_SECRET, 3600)));
}
