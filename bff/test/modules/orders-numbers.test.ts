import { and, eq } from 'drizzle-orm';
import { localClock } from 'shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderNumberCounters, orders } from '../../src/db/schema';
import { makeShop, manyUsers, orderBody, placeOrder } from '../fixtures/market';
import { bearer, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
});
afterAll(() => t?.close());

/** 1202-007 -> 7 */
const seqOf = (n: string) => Number(n.split('-')[1]);

describe('short order numbers', () => {
  it('gives 50 concurrent checkouts of one shop 50 distinct consecutive numbers of the Shanghai day', async () => {
    const shop = await makeShop(t, { products: [{ stock: 1000, priceFen: 500 }] });
    const people = await manyUsers(t, 50);
    const placed = await Promise.all(people.map((p) => placeOrder(t, p, orderBody(shop, [1]))));
    expect(placed.map((r) => r.status)).toEqual(Array(50).fill(201));
    const numbers = placed.map((r) => r.body.number as string);
    const day = localClock(t.clock.now(), 'Asia/Shanghai').date;
    const prefix = `${day.slice(5, 7)}${day.slice(8, 10)}-`;
    for (const n of numbers) expect(n).toMatch(new RegExp(`^${prefix}\\d{3,}$`));
    expect(new Set(numbers).size).toBe(50);
    expect(numbers.map(seqOf).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const [counter] = await t.deps.db
      .select()
      .from(orderNumberCounters)
      .where(and(eq(orderNumberCounters.merchantId, shop.id), eq(orderNumberCounters.day, day)));
    expect(counter!.last).toBe(50);
  }, 60_000);

  it('counts per shop, and a checkout that fails gives its number back', async () => {
    const a = await makeShop(t, { products: [{ stock: 1, priceFen: 500 }] });
    const b = await makeShop(t, { products: [{ stock: 10, priceFen: 500 }] });
    const [p, q] = await manyUsers(t, 2);
    const first = await placeOrder(t, p!, orderBody(a, [1]));
    // Out of stock: rolled back after the number was taken, so the next one reuses it.
    const soldOut = await placeOrder(t, q!, orderBody(a, [1]));
    expect(soldOut.status).toBe(409);
    const other = await placeOrder(t, q!, orderBody(b, [1]));
    expect(seqOf(first.body.number)).toBe(1);
    expect(seqOf(other.body.number)).toBe(1);
  });

  it('names the order the same way in the resident’s list and its detail', async () => {
    const shop = await makeShop(t, { products: [{ stock: 10, priceFen: 500 }] });
    const [p] = await manyUsers(t, 1);
    const placed = await placeOrder(t, p!, orderBody(shop, [1]));
    const number = placed.body.number as string;
    const list = await t.call({ method: 'GET', url: '/v1/orders', headers: bearer(p!) });
    expect(list.body.items.find((o: { id: string }) => o.id === placed.body.id).number).toBe(number);
    const detail = await t.call({ method: 'GET', url: `/v1/orders/${placed.body.id}`, headers: bearer(p!) });
    expect(detail.body.number).toBe(number);
    const [row] = await t.deps.db.select().from(orders).where(eq(orders.id, placed.body.id));
    expect(row!.numberSeq).toBe(1);
  });
});
