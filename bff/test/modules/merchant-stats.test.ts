import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders } from '../../src/db/schema';
import { makeShop, orderBody, payOrder, placeOrder, type TestShop } from '../fixtures/market';
import { bearer, freshPhone, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
let shop: TestShop;

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  shop = await makeShop(t, {
    products: [
      { name: '西红柿', priceFen: 300, stock: 100 },
      { name: '土鸡蛋', priceFen: 1500, stock: 100 },
    ],
  });
});
afterAll(() => t?.close());

/** A paid order whose payment we then place at a chosen instant. */
async function paidAt(quantities: number[], at: string) {
  const me = await t.login(freshPhone());
  const { body } = await placeOrder(t, me, orderBody(shop, quantities));
  await payOrder(t, me, body.id);
  await t.deps.db
    .update(orders)
    .set({ paidAt: new Date(at) })
    .where(eq(orders.id, body.id));
  return { me, id: body.id as string };
}

describe('merchant stats', () => {
  it('counts paid orders by Shanghai day, leaves out cancelled ones and ranks products', async () => {
    // 2026-11-10 in Shanghai runs from 2026-11-09T16:00Z to 2026-11-10T16:00Z.
    await paidAt([2, 1], '2026-11-09T16:30:00Z'); // 00:30 on the 10th in Shanghai: 600 + 1500
    await paidAt([4], '2026-11-10T15:59:00Z'); // 23:59 on the 10th: 1200
    await paidAt([1], '2026-11-09T15:59:00Z'); // 23:59 on the 9th: 300
    await paidAt([1], '2026-10-20T04:00:00Z'); // outside the 14 days
    const cancelled = await paidAt([10], '2026-11-10T04:00:00Z');
    const rejected = await t.call({
      method: 'POST',
      url: `/v1/merchant/orders/${cancelled.id}/reject`,
      headers: bearer(shop.owner),
      payload: { reason: '缺货' },
    });
    expect(rejected.body.status).toBe('cancelled');

    const res = await t.call({
      method: 'GET',
      url: '/v1/merchant/stats?date=2026-11-10',
      headers: bearer(shop.owner),
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ date: '2026-11-10', orderCount: 2, revenueFen: 3300 });
    expect(res.body.topProducts).toEqual([
      { productId: shop.products[0]!.id, name: '西红柿', quantity: 6, revenueFen: 1800 },
      { productId: shop.products[1]!.id, name: '土鸡蛋', quantity: 1, revenueFen: 1500 },
    ]);
    expect(res.body.daily).toHaveLength(14);
    expect(res.body.daily[0].date).toBe('2026-10-28');
    expect(res.body.daily[13]).toEqual({ date: '2026-11-10', orderCount: 2, revenueFen: 3300 });
    expect(res.body.daily[12]).toEqual({ date: '2026-11-09', orderCount: 1, revenueFen: 300 });
    const total = res.body.daily.reduce((n: number, d: { orderCount: number }) => n + d.orderCount, 0);
    expect(total).toBe(3);
  });

  it('reads the figures from the orders, so a refund takes its order out of the revenue', async () => {
    const before = (
      await t.call({ method: 'GET', url: '/v1/merchant/stats?date=2026-11-10', headers: bearer(shop.owner) })
    ).body.revenueFen;
    const [one] = await t.deps.db
      .select({ id: orders.id })
      .from(orders)
      .where(sql`${orders.merchantId} = ${shop.id} AND ${orders.totalFen} = 1200`);
    await t.deps.db.update(orders).set({ status: 'refunded' }).where(eq(orders.id, one!.id));
    const after = await t.call({
      method: 'GET',
      url: '/v1/merchant/stats?date=2026-11-10',
      headers: bearer(shop.owner),
    });
    expect(after.body.revenueFen).toBe(before - 1200);
  });

  it('defaults to today in Shanghai and rejects a malformed date', async () => {
    const today = await t.call({ method: 'GET', url: '/v1/merchant/stats', headers: bearer(shop.owner) });
    expect(today.body.date).toBe(
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()),
    );
    const bad = await t.call({
      method: 'GET',
      url: '/v1/merchant/stats?date=2026-13-40',
      headers: bearer(shop.owner),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('querystring.date');
  });
});
