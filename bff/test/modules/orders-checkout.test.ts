import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, orders, outbox } from '../../src/db/schema';
import { lockerOrder, openWindow, produceShop, residentLocker } from '../fixtures/lockers';
import { makeShop, manyUsers, orderBody, placeOrder } from '../fixtures/market';
import { bearer, freshPhone, inbox, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
});
afterAll(() => t?.close());

/** Checkout answers from what it wrote; a later read must not tell a different story. */
async function answerMatchesRead(who: { authorization: string }, body: unknown) {
  const placed = await placeOrder(t, who, body);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const read = await t.call({ method: 'GET', url: `/v1/orders/${placed.body.id}`, headers: bearer(who) });
  expect(read.status).toBe(200);
  expect(placed.body).toEqual(read.body);
  return placed.body;
}

describe('the checkout answer', () => {
  it('is what a read of the order returns, for pickup at the shop with several lines', async () => {
    const shop = await makeShop(t, {
      products: [
        { name: '土豆', priceFen: 300, stock: 10 },
        { name: '白菜', priceFen: 200, stock: 10 },
        { name: 'Apple', priceFen: 900, stock: 10 },
      ],
    });
    const me = await t.login(freshPhone());
    const order = await answerMatchesRead(me, orderBody(shop, [1, 2, 3], { note: '少放点' }));
    expect(order.timeline).toHaveLength(1);
    expect(order.number).toMatch(/^\d{4}-001$/);
  });

  it('is what a read returns for home delivery, address and fee included', async () => {
    const me = await t.login(PHONES.resident);
    const mine = await t.call({ method: 'GET', url: '/v1/me', headers: bearer(me) });
    const home = mine.body.memberships.find((m: { status: string }) => m.status === 'approved');
    const shop = await makeShop(t, { products: [{ priceFen: 650, stock: 10 }] });
    const order = await answerMatchesRead(
      me,
      orderBody(shop, [2], { delivery: { mode: 'home', householdId: home.householdId } }),
    );
    expect(order.delivery).toEqual({ mode: 'home', address: home.address });
  });

  it('is what a read returns for a locker order, the locker part included', async () => {
    const me = await t.login(PHONES.resident);
    const shop = await produceShop(t);
    const { bankId } = await residentLocker(t, me);
    const window = await openWindow(t, me);
    const product = shop.ambient[0]!;
    const order = await answerMatchesRead(
      me,
      // Enough of it to meet the shop's minimum order.
      lockerOrder(shop.id, [product.id], window.id, bankId, Math.ceil(1500 / product.priceFen)),
    );
    expect(order.locker).not.toBeNull();
  });
});

describe('pickup code collisions', () => {
  it('retries the whole checkout: every order placed once, numbered without gaps, audited once', async () => {
    const shop = await makeShop(t, { products: [{ stock: 1000 }] });
    const [holder] = await manyUsers(t, 1);
    // Three in ten codes already held by live orders of this shop: most of these checkouts draw
    // a taken code at least once (0.7^20 that none does) and must start over.
    await t.deps.db.execute(sql`
      INSERT INTO orders (id, user_id, placed_by, merchant_id, items_fen, total_fen, delivery_mode,
        pickup_code, pay_by)
      SELECT gen_random_uuid(), ${holder!.userId}, ${holder!.userId}, ${shop.id}, 100, 100, 'shop_pickup',
        lpad(((n::bigint * 7919) % 1000000)::text, 6, '0'), now() + interval '1 day'
      FROM generate_series(0, 299999) n`);
    const people = await manyUsers(t, 20);
    const results = await Promise.all(people.map((p) => placeOrder(t, p, orderBody(shop, [1]))));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const ids = results.map((r) => r.body.id as string);
    expect(new Set(ids).size).toBe(20);
    const placed = await t.deps.db
      .select({ seq: orders.numberSeq })
      .from(orders)
      .where(inArray(orders.id, ids));
    expect(placed.map((r) => r.seq).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const audited = await t.deps.db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'order.created'), inArray(auditLog.subjectId, ids)));
    expect(audited[0]!.n).toBe(20);
    const jobs = (await t.deps.db.select({ payload: outbox.payload }).from(outbox)).filter((r) =>
      ids.includes((r.payload as { orderId?: string }).orderId ?? ''),
    );
    expect(jobs).toHaveLength(20);
    const [left] = (await t.deps.db.execute(
      sql`SELECT stock FROM products WHERE id = ${shop.products[0]!.id}`,
    )) as unknown as { stock: number }[];
    expect(left!.stock).toBe(980);
  }, 120_000);
});

describe('the low-stock alert under contention', () => {
  it('is raised once by the one order of sixty racing ones that takes the stock across the line', async () => {
    const shop = await makeShop(t, { products: [{ name: '鲜牛奶', stock: 50, lowStockThreshold: 10 }] });
    const people = await manyUsers(t, 60);
    const results = await Promise.all(people.map((p) => placeOrder(t, p, orderBody(shop, [1]))));
    const byStatus = new Map<number, number>();
    for (const r of results) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    expect(Object.fromEntries(byStatus)).toEqual({ 201: 50, 409: 10 });
    const notices = (await inbox(t, shop.owner.userId)).filter((n) => n.kind === 'product.low_stock');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toContain('仅剩 10 件');
  }, 120_000);
});
