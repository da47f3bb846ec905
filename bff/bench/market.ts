/**
 * The market's hot paths: the catalog listing and checkout under contention on one product, each
 * against the production server (its own process) and compared with the bare minimum doing the
 * same database work in processes of their own (bench/market-bare.ts, bench/market-update.ts),
 * measured in the same run. The load comes from this process.
 */
import { uuidv7 } from 'uuidv7';
import { signAccessToken } from '../src/modules/auth/tokens';
import type { TestApp } from '../test/helper';
import { burst, CONNECTIONS, DURATION, load, print, type Row, target } from './lib';
import { runBare, type Served, startBare } from './processes';
import { type BenchStack, withServer } from './stack';

/** The production server's pool (createDb's default); the bare baselines get the same. */
const POOL = 10;
const ORDERS = Number(process.env.BENCH_ORDERS ?? 2000);

interface Market {
  communityId: string;
  shopId: string;
  hotId: string;
  bare: Served;
}

/** A hot product with stock to spare in the produce shop (it takes orders around the clock). */
async function market(t: TestApp): Promise<Market> {
  const db = t.deps.sql;
  const [community] = await db<{ id: string }[]>`SELECT id FROM communities LIMIT 1`;
  const [shop] = await db<{ id: string; min_order_fen: number }[]>`
    SELECT m.id, m.min_order_fen FROM merchants m JOIN users u ON u.id = m.owner_id
    WHERE u.phone = '13800000002'`;
  const [hot] = await db<{ id: string }[]>`
    INSERT INTO products (id, merchant_id, name, category, unit, price_fen, stock, per_order_limit)
    VALUES (${uuidv7()}, ${shop!.id}, '压测爆款青菜', '蔬菜', '斤', ${Math.max(shop!.min_order_fen, 100)}, 10000000, NULL)
    RETURNING id`;
  const bare = await startBare('market-bare.ts', {
    DATABASE_URL: t.deps.config.DATABASE_URL!,
    POOL: String(POOL),
    PRODUCT_ID: hot!.id,
  });
  return { communityId: community!.id, shopId: shop!.id, hotId: hot!.id, bare };
}

export async function benchMarket(t: TestApp, stack: BenchStack, only: (part: string) => boolean) {
  if (!only('catalog') && !only('checkout')) return;
  const m = await market(t);
  try {
    if (only('catalog')) await withServer(stack, 'catalog (a) to (d)', (s) => catalog(t, m, s.url));
    if (only('checkout')) await withServer(stack, 'checkout', (s) => checkout(t, m, s.url));
  } finally {
    await m.bare.stop();
  }
}

async function catalog(t: TestApp, m: Market, base: string) {
  const [resident] = await benchResidents(t, 1, { phonePrefix: '134' });
  const headers = { authorization: `Bearer ${resident}` };
  const url = `${base}/v1/products?communityId=${m.communityId}`;
  const first = await fetch(url, { headers });
  if (first.status !== 200) throw new Error(`catalog: ${first.status} ${await first.text()}`);
  const listed = ((await first.json()) as { items: unknown[] }).items.length;
  const etag = first.headers.get('etag');

  const rows: Row[] = [];
  let answers = '  (b) skipped: the server sent no ETag';
  rows.push({
    name: 'bare Fastify + same SQL (baseline)',
    ...(await load(`${m.bare.url}/products?communityId=${m.communityId}`)),
  });
  const plain = await load(url, headers);
  rows.push({ name: '(a) GET /v1/products?communityId= (resident token)', ...plain });
  if (etag) {
    const revalidated = await load(url, { ...headers, 'if-none-match': etag }, { expect: [304] });
    rows.push({ name: '(b) same, If-None-Match: first answer ETag', ...revalidated });
    answers = `  (b) answers by status: ${JSON.stringify(revalidated.statuses)}`;
  }
  const half = Math.max(1, Math.round(plain.rps / 2));
  const atHalf = await load(url, headers, { overallRate: half });
  rows.push({ name: `(c) as (a) at half its max rate (${half} req/s)`, ...atHalf });
  // What wx.request sends: the answer may come compressed (the bare baseline never compresses).
  const zipped = await fetch(url, { headers: { ...headers, 'accept-encoding': 'gzip, deflate, br' } });
  await zipped.arrayBuffer();
  const encoding = zipped.headers.get('content-encoding') ?? 'identity';
  rows.push({
    name: `(d) as (a), Accept-Encoding: gzip, deflate, br (${encoding})`,
    ...(await load(url, { ...headers, 'accept-encoding': 'gzip, deflate, br' })),
  });
  print(`Catalog, ${CONNECTIONS} connections x ${DURATION}s (${listed} products on the page)`, rows, 'req/s');
  console.log(answers);
  target(`catalog (a) >= 1.0x bare (${(plain.rps / rows[0]!.rps).toFixed(2)}x)`, plain.rps >= rows[0]!.rps);
  target(`catalog p99 <= 25 ms at half max rate (${atHalf.p99} ms)`, (atHalf.p99 ?? Infinity) <= 25);
}

async function checkout(t: TestApp, m: Market, base: string) {
  const db = t.deps.sql;
  const tokens = await benchResidents(t, ORDERS);
  const body = JSON.stringify({
    merchantId: m.shopId,
    items: [{ productId: m.hotId, quantity: 1 }],
    delivery: { mode: 'shop_pickup' },
  });
  const stock = async () =>
    (await db<{ stock: number }[]>`SELECT stock FROM products WHERE id = ${m.hotId}`)[0]!.stock;

  const rows: Row[] = [];
  let before = await stock();
  const direct = await runBare<{ rps: number; p50: number; p99: number; taken: number }>('market-update.ts', {
    DATABASE_URL: t.deps.config.DATABASE_URL!,
    POOL: String(POOL),
    PRODUCT_ID: m.hotId,
    AMOUNT: String(ORDERS),
    CONCURRENCY: String(CONNECTIONS),
  });
  if (direct.taken !== ORDERS || before - (await stock()) !== ORDERS)
    throw new Error(`bare UPDATE took ${direct.taken} of ${ORDERS}`);
  rows.push({ name: 'UPDATE stock - 1 via postgres.js, own process (baseline)', ...direct });
  before = await stock();
  const bareHttp = await burst(`${m.bare.url}/take`, ORDERS, () => ({ headers: {}, body: '{}' }));
  if (bareHttp.failures.length) throw new Error(`bare /take: ${bareHttp.failures.join('; ')}`);
  if (before - (await stock()) !== ORDERS) throw new Error('bare /take lost updates');
  rows.push({ name: 'bare Fastify + same UPDATE, own process', ...bareHttp });

  before = await stock();
  const run = Date.now().toString(36);
  const orders = await burst(`${base}/v1/orders`, ORDERS, (i) => ({
    headers: {
      authorization: `Bearer ${tokens[i % tokens.length]}`,
      'idempotency-key': `bench-${run}-${i}`,
    },
    body,
  }));
  rows.push({ name: 'POST /v1/orders (distinct residents, one product)', ...orders });
  print(`Checkout, ${ORDERS} orders, ${CONNECTIONS} in flight, one hot product`, rows, 'orders/s');

  // The figures only count if nothing was lost or oversold on the way.
  const taken = before - (await stock());
  const [made] = await db<{ n: number }[]>`
    SELECT count(DISTINCT o.id)::int AS n FROM orders o JOIN order_items i ON i.order_id = o.id
    WHERE i.product_id = ${m.hotId}`;
  console.log(`  ${orders.ok} orders answered 2xx, ${made!.n} orders stored, stock taken ${taken}`);
  if (orders.failures.length) throw new Error(`POST /v1/orders failed: ${orders.failures.join('; ')}`);
  if (orders.ok !== ORDERS || made!.n !== ORDERS || taken !== ORDERS)
    throw new Error('checkout lost or duplicated orders');
  target(`checkout >= 500 orders/s (${orders.rps.toFixed(0)})`, orders.rps >= 500);
  target(
    `checkout >= 0.3x the bare UPDATE (${(orders.rps / direct.rps).toFixed(2)}x)`,
    orders.rps >= 0.3 * direct.rps,
  );
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
