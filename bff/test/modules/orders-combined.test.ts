import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, orderEvents, orderItems, orders, outbox } from '../../src/db/schema';
import { makeShop, manyUsers, newKey, placeOrder, stockOf } from '../fixtures/market';
import { bearer, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
});
afterAll(() => t?.close());

/**
 * Orders of one shop that arrive while another of its writes is in flight are written together
 * by one statement. Rows written by one statement share its transaction id (xmin), so that shows
 * which went together.
 */
async function transactionsThatWrote(ids: string[]): Promise<number> {
  const [row] = await t.deps.db
    .select({ n: sql<number>`count(DISTINCT ${orders}.xmin::text)::int` })
    .from(orders)
    .where(inArray(orders.id, ids));
  return row!.n;
}

/**
 * Fires the orders while the shop's products are locked by another transaction, so the first
 * order's write waits in flight and the rest queue behind it in the shop's lane; then lets go.
 * What the lane does with a full queue is then the same on every run.
 */
async function whileTheShopWaits<T>(shopId: string, fire: () => Promise<T>): Promise<T> {
  let fired!: Promise<T>;
  await t.deps.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT FROM products WHERE merchant_id = ${shopId} FOR UPDATE`);
    fired = fire();
    for (let i = 0; i < 200; i++) {
      const [waiting] = (await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`)) as unknown as { n: number }[];
      if (waiting!.n > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    // The others' reads are done long before this (one round trip each): they wait in the lane.
    await new Promise((r) => setTimeout(r, 400));
  });
  return fired;
}

describe('orders written together', () => {
  it('writes each order of a shared statement whole: lines, timeline, audit, expiry job, number, stock', async () => {
    const shop = await makeShop(t, {
      products: [
        { name: '土豆', priceFen: 300, stock: 1000 },
        { name: '白菜', priceFen: 200, stock: 1000 },
      ],
    });
    const [a, b] = shop.products;
    const people = await manyUsers(t, 60);
    const bodies = people.map((_, i) => ({
      merchantId: shop.id,
      items:
        i % 3 === 0
          ? [{ productId: a!.id, quantity: 1 }]
          : i % 3 === 1
            ? [{ productId: b!.id, quantity: 2 }]
            : [
                { productId: b!.id, quantity: 1 },
                { productId: a!.id, quantity: 3 },
              ],
      delivery: { mode: 'shop_pickup' },
      note: `第${i}单`,
    }));
    const results = await whileTheShopWaits(shop.id, () =>
      Promise.all(people.map((p, i) => placeOrder(t, p, bodies[i]))),
    );
    expect(results.map((r) => r.status)).toEqual(Array(60).fill(201));
    const ids = results.map((r) => r.body.id as string);

    const rows = await t.deps.db.select().from(orders).where(inArray(orders.id, ids));
    expect(rows).toHaveLength(60);
    // The first alone, the 59 queued behind it in two statements of at most 32...
    expect(await transactionsThatWrote(ids)).toBe(3);
    // ...and every one is numbered once, without gaps, in one day's sequence.
    expect(rows.map((r) => r.numberSeq).sort((x, y) => x! - y!)).toEqual(
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    people.forEach((p, i) => {
      const row = byId.get(ids[i]!)!;
      expect(row.userId).toBe(p.userId);
      expect(row.note).toBe(`第${i}单`);
      expect(row.itemsFen).toBe(
        bodies[i]!.items.reduce((s, l) => s + l.quantity * (l.productId === a!.id ? 300 : 200), 0),
      );
      expect(row.status).toBe('created');
    });

    const lines = await t.deps.db.select().from(orderItems).where(inArray(orderItems.orderId, ids));
    expect(lines).toHaveLength(80);
    for (const [i, id] of ids.entries())
      expect(
        lines
          .filter((l) => l.orderId === id)
          .map((l) => [l.productId, l.quantity, l.priceFen])
          .sort(),
      ).toEqual(
        bodies[i]!.items.map((l) => [l.productId, l.quantity, l.productId === a!.id ? 300 : 200]).sort(),
      );
    const events = await t.deps.db.select().from(orderEvents).where(inArray(orderEvents.orderId, ids));
    expect(events.map((e) => e.orderId).sort()).toEqual([...ids].sort());
    expect(
      events.every((e) => e.event === 'create' && e.toStatus === 'created' && e.fromStatus === null),
    ).toBe(true);
    expect(events.every((e) => e.actorId === byId.get(e.orderId)!.userId)).toBe(true);

    const audits = await t.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'order.created'), inArray(auditLog.subjectId, ids)));
    expect(audits).toHaveLength(60);
    for (const e of audits) {
      expect(e.subjectType).toBe('order');
      expect(e.actorId).toBe(byId.get(e.subjectId!)!.userId);
      expect(e.data).toEqual({ totalFen: byId.get(e.subjectId!)!.totalFen });
    }
    const jobs = await t.deps.db
      .select({ jobName: outbox.jobName, payload: outbox.payload, delayMs: outbox.delayMs })
      .from(outbox)
      .where(inArray(sql`${outbox.payload}->>'orderId'`, ids));
    expect(jobs.map((j) => j.payload.orderId).sort()).toEqual([...ids].sort());
    expect(new Set(jobs.map((j) => `${j.jobName}/${j.delayMs}`)).size).toBe(1);
    expect(jobs[0]!.jobName).toBe('order.expire');
    expect(jobs[0]!.delayMs).toBeGreaterThan(0);

    // Stock taken for the lines' sums, product by product.
    expect(await stockOf(t, a!.id)).toBe(1000 - 20 * 1 - 20 * 3);
    expect(await stockOf(t, b!.id)).toBe(1000 - 20 * 2 - 20 * 1);

    // Each answer is what a read of the order says, number and time included.
    for (const [i, r] of results.entries()) {
      const read = await t.call({
        method: 'GET',
        url: `/v1/orders/${r.body.id}`,
        headers: bearer(people[i]!),
      });
      expect(r.body).toEqual(read.body);
    }
  }, 120_000);

  it('answers a key sent twice among others with its one order, and writes the others', async () => {
    const shop = await makeShop(t, { products: [{ stock: 500 }] });
    const people = await manyUsers(t, 30);
    const key = newKey();
    const body = {
      merchantId: shop.id,
      items: [{ productId: shop.products[0]!.id, quantity: 1 }],
      delivery: { mode: 'shop_pickup' },
    };
    const twice = people[7]!;
    const results = await whileTheShopWaits(shop.id, () =>
      Promise.all([
        ...people.map((p) => placeOrder(t, p, body, p === twice ? key : newKey())),
        placeOrder(t, twice, body, key),
        placeOrder(t, twice, body, key),
      ]),
    );
    expect(results.map((r) => r.status)).toEqual(Array(32).fill(201));
    const mine = results.filter((_, i) => i === 7 || i >= 30).map((r) => r.body.id);
    expect(new Set(mine).size).toBe(1);
    const placed = await t.deps.db
      .select({ id: orders.id, seq: orders.numberSeq })
      .from(orders)
      .where(eq(orders.merchantId, shop.id));
    expect(placed).toHaveLength(30);
    expect(placed.map((r) => r.seq).sort((x, y) => x! - y!)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    expect(await stockOf(t, shop.products[0]!.id)).toBe(470);
    // The statement carrying the key twice failed whole, and each of its orders went alone.
    expect(await transactionsThatWrote(placed.map((r) => r.id))).toBe(30);
  }, 120_000);

  it('sells the last units to the orders that fit and refuses only the ones that do not', async () => {
    const shop = await makeShop(t, { products: [{ stock: 25 }] });
    const people = await manyUsers(t, 40);
    // Quantities 1 and 2 mixed: a statement carrying several can fail on the sum while most of
    // its orders would fit alone.
    const results = await whileTheShopWaits(shop.id, () =>
      Promise.all(
        people.map((p, i) =>
          placeOrder(t, p, {
            merchantId: shop.id,
            items: [{ productId: shop.products[0]!.id, quantity: 1 + (i % 2) }],
            delivery: { mode: 'shop_pickup' },
          }),
        ),
      ),
    );
    const placed = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.every((r) => r.status === 409 && r.body.error.code === 'STOCK_INSUFFICIENT')).toBe(true);
    const sold = placed.reduce((s, r) => s + (r.body.items[0].quantity as number), 0);
    const left = await stockOf(t, shop.products[0]!.id);
    expect(sold + left).toBe(25);
    // Refused only when what was left could not cover it: no order lost to its company.
    const smallest = Math.min(...refused.map((r) => 1 + (results.indexOf(r) % 2)));
    expect(left).toBeLessThan(smallest);
    const rows = await t.deps.db.select({ id: orders.id }).from(orders).where(eq(orders.merchantId, shop.id));
    expect(rows).toHaveLength(placed.length);
    const jobs = await t.deps.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        inArray(
          sql`${outbox.payload}->>'orderId'`,
          rows.map((r) => r.id),
        ),
      );
    expect(jobs).toHaveLength(placed.length);
  }, 120_000);

  it('writes home and pickup orders of one shop together, each with its own delivery', async () => {
    const me = await t.login(PHONES.resident);
    const mine = await t.call({ method: 'GET', url: '/v1/me', headers: bearer(me) });
    const home = mine.body.memberships.find((m: { status: string }) => m.status === 'approved');
    const shop = await makeShop(t, { products: [{ priceFen: 500, stock: 100 }] });
    const people = await manyUsers(t, 20);
    const item = [{ productId: shop.products[0]!.id, quantity: 1 }];
    const [homeOrder, ...rest] = await whileTheShopWaits(shop.id, () =>
      Promise.all([
        placeOrder(t, me, {
          merchantId: shop.id,
          items: item,
          delivery: { mode: 'home', householdId: home.householdId },
        }),
        ...people.map((p) =>
          placeOrder(t, p, { merchantId: shop.id, items: item, delivery: { mode: 'shop_pickup' } }),
        ),
      ]),
    );
    expect([homeOrder!, ...rest].map((r) => r.status)).toEqual(Array(21).fill(201));
    expect(await transactionsThatWrote([homeOrder!, ...rest].map((r) => r.body.id))).toBe(2);
    const [row] = await t.deps.db.select().from(orders).where(eq(orders.id, homeOrder!.body.id));
    expect(row!.deliveryMode).toBe('home');
    expect(row!.householdId).toBe(home.householdId);
    expect(row!.deliveryFeeFen).toBe(300);
    expect(row!.totalFen).toBe(800);
    expect(homeOrder!.body.delivery).toEqual({ mode: 'home', address: home.address });
    expect(await stockOf(t, shop.products[0]!.id)).toBe(79);
  }, 120_000);
});
