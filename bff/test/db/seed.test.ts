import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_MERCHANTS } from '../../src/demo';
import { seed } from '../../src/seed';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
beforeAll(async () => {
  t = await setupTestApp();
});
afterAll(() => t?.close());

const TABLES = [
  'communities',
  'compounds',
  'buildings',
  'households',
  'users',
  'user_roles',
  'memberships',
  'proxy_links',
  'staff_communities',
  'merchants',
  'merchant_communities',
  'products',
];

async function counts() {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const rows = (await t.deps.db.execute(sql.raw(`SELECT count(*)::int AS n FROM ${table}`))) as unknown as {
      n: number;
    }[];
    out[table] = rows[0]!.n;
  }
  return out;
}

async function stocks() {
  const rows = (await t.deps.db.execute(sql`SELECT id, stock FROM products ORDER BY id`)) as unknown as {
    id: string;
    stock: number;
  }[];
  return rows;
}

it('seeding again (even twice at once) changes nothing', async () => {
  const before = await counts();
  expect(before).toMatchObject({
    communities: 1,
    compounds: 3,
    buildings: 6,
    households: 36,
    proxy_links: 1,
    merchants: 5,
    merchant_communities: 5,
  });
  const stockBefore = await stocks();
  await Promise.all([seed(t.deps.db), seed(t.deps.db)]);
  expect(await counts()).toEqual(before);
  expect(await stocks()).toEqual(stockBefore);
});

it('a re-seed keeps stock that changed since, and the status of a paused shop', async () => {
  const [p] = (await t.deps.db.execute(sql`
    UPDATE products SET stock = stock - 7 WHERE name = '黄心土豆' RETURNING id, stock`)) as unknown as {
    id: string;
    stock: number;
  }[];
  await t.deps.db.execute(sql`UPDATE merchants SET status = 'paused' WHERE name = '麦香坊烘焙'`);
  await seed(t.deps.db);
  const [after] = (await t.deps.db.execute(
    sql`SELECT stock FROM products WHERE id = ${p!.id}`,
  )) as unknown as {
    stock: number;
  }[];
  expect(after!.stock).toBe(p!.stock);
  const [m] = (await t.deps.db.execute(
    sql`SELECT status FROM merchants WHERE name = '麦香坊烘焙'`,
  )) as unknown as {
    status: string;
  }[];
  expect(m!.status).toBe('paused');
  await t.deps.db.execute(sql`UPDATE merchants SET status = 'open' WHERE name = '麦香坊烘焙'`);
});

it('the demo shops are open, verified, serve the demo community, and list about 60 products', async () => {
  const rows = (await t.deps.db.execute(sql`
    SELECT u.phone, m.name, m.category, m.status, m.verified_at IS NOT NULL AS verified,
      v.phone AS verified_by, c.name AS community,
      EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'merchant') AS owner_is_merchant,
      (SELECT count(*)::int FROM products p WHERE p.merchant_id = m.id) AS products
    FROM merchants m JOIN users u ON u.id = m.owner_id JOIN users v ON v.id = m.verified_by
    JOIN merchant_communities mc ON mc.merchant_id = m.id JOIN communities c ON c.id = mc.community_id
    ORDER BY u.phone`)) as unknown as {
    phone: string;
    name: string;
    category: string;
    status: string;
    verified: boolean;
    verified_by: string;
    community: string;
    owner_is_merchant: boolean;
    products: number;
  }[];
  expect(rows.map((r) => [r.phone, r.name, r.category])).toEqual(
    DEMO_MERCHANTS.map((m) => [m.ownerPhone, m.name, m.category]),
  );
  expect(rows.map((r) => r.phone)).toEqual([
    '13800000002',
    '13800000006',
    '13800000007',
    '13800000008',
    '13800000009',
  ]);
  for (const r of rows) {
    expect(r).toMatchObject({
      verified: true,
      verified_by: '13800000001',
      community: '黌门街社区',
      owner_is_merchant: true,
    });
    expect(r.status).toBe('open');
    // Home services are asked for through 报修 (resident requests), not sold as products.
    if (r.category === 'repairs') expect(r.products).toBe(0);
    else expect(r.products).toBeGreaterThanOrEqual(10);
  }
  const total = rows.reduce((n, r) => n + r.products, 0);
  expect(total).toBeGreaterThanOrEqual(48);
  expect(total).toBeLessThanOrEqual(65);
  // The listings show every state: sold out, low stock, off shelf.
  const [states] = (await t.deps.db.execute(sql`
    SELECT count(*) FILTER (WHERE stock = 0)::int AS sold_out,
      count(*) FILTER (WHERE stock > 0 AND stock <= low_stock_threshold)::int AS low,
      count(*) FILTER (WHERE NOT on_shelf)::int AS off_shelf,
      count(*) FILTER (WHERE original_price_fen < price_fen)::int AS bad_original
    FROM products`)) as unknown as {
    sold_out: number;
    low: number;
    off_shelf: number;
    bad_original: number;
  }[];
  expect(states!.sold_out).toBeGreaterThanOrEqual(1);
  expect(states!.low).toBeGreaterThanOrEqual(1);
  expect(states!.off_shelf).toBeGreaterThanOrEqual(1);
  expect(states!.bad_original).toBe(0);
});

it('the compounds have coordinates within about 1 km of each other', async () => {
  const rows = (await t.deps.db.execute(sql`SELECT lat, lng FROM compounds`)) as unknown as {
    lat: number | null;
    lng: number | null;
  }[];
  expect(rows).toHaveLength(3);
  for (const a of rows)
    for (const b of rows) {
      // Equirectangular approximation is plenty at this scale.
      const dy = (a.lat! - b.lat!) * 111_000;
      const dx = (a.lng! - b.lng!) * 111_000 * Math.cos((a.lat! * Math.PI) / 180);
      expect(Math.hypot(dx, dy)).toBeLessThan(1000);
    }
});

it('every demo account named in the README exists with its role', async () => {
  const rows = (await t.deps.db.execute(sql`
    SELECT u.phone, array_agg(r.role ORDER BY r.role) AS roles FROM users u
    JOIN user_roles r ON r.user_id = u.id GROUP BY u.phone ORDER BY u.phone`)) as unknown as {
    phone: string;
    roles: string[];
  }[];
  const byPhone = Object.fromEntries(rows.map((r) => [r.phone, r.roles]));
  expect(byPhone['13800000001']).toEqual(['staff']);
  expect(byPhone['13800000002']).toEqual(['merchant']);
  expect(byPhone['13800000003']).toEqual(['courier']);
  expect(byPhone['13800000004']).toContain('volunteer');
  expect(byPhone['13800000005']).toEqual(['caregiver']);
  for (const phone of ['13800000006', '13800000007', '13800000009'])
    expect(byPhone[phone]).toEqual(['merchant']);
  // The elder canteen's owner also runs it as a meal provider.
  expect(byPhone['13800000008']).toEqual(['merchant', 'provider']);
  expect(byPhone['13800000031']).toEqual(['provider']);
  expect(byPhone['13800000032']).toEqual(['caregiver']);
  expect(byPhone['13800000033']).toEqual(['caregiver']);
  for (let i = 10; i <= 19; i++) expect(byPhone[`138000000${i}`]).toEqual(['resident']);
  expect(byPhone['13800000020']).toEqual(['resident']);
  expect(byPhone['13800000021']).toEqual(['resident']);
});
