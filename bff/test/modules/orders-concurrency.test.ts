import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKeys, orderEvents, orders, outbox, payments, users } from '../../src/db/schema';
import {
  makeShop,
  manyUsers,
  newKey,
  orderBody,
  orderStatus,
  pastDeadline,
  placeOrder,
  runJob,
  settle,
  stockOf,
} from '../fixtures/market';
import { bearer, freshPhone, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
});
afterAll(() => t?.close());

const ordersOf = async (merchantId: string) =>
  (await t.deps.db.select({ n: count() }).from(orders).where(eq(orders.merchantId, merchantId)))[0]!.n;

describe('checkout under contention', () => {
  it('sells exactly the stock to 1,000 residents racing for 100 units', async () => {
    const shop = await makeShop(t, { products: [{ stock: 100, priceFen: 990 }] });
    const people = await manyUsers(t, 1000);
    const results = await Promise.all(people.map((p) => placeOrder(t, p, orderBody(shop, [1]))));
    const byStatus = new Map<number, number>();
    for (const r of results) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    expect(Object.fromEntries(byStatus)).toEqual({ 201: 100, 409: 900 });
    for (const r of results.filter((x) => x.status === 409)) {
      expect(r.body.error.code).toBe('STOCK_INSUFFICIENT');
      expect(r.body.error.details).toEqual([
        { path: 'body.items.0.quantity', message: 'Not enough stock left' },
      ]);
    }
    expect(await stockOf(t, shop.products[0]!.id)).toBe(0);
    expect(await ordersOf(shop.id)).toBe(100);
    // The losers left nothing behind: every key held belongs to a placed order.
    const held = await t.deps.db
      .select({ n: count() })
      .from(idempotencyKeys)
      .innerJoin(users, eq(users.id, idempotencyKeys.userId))
      .where(
        and(
          inArray(
            idempotencyKeys.userId,
            people.map((p) => p.userId),
          ),
          isNull(idempotencyKeys.orderId),
        ),
      );
    expect(held[0]!.n).toBe(0);
    const keys = await t.deps.db
      .select({ n: count() })
      .from(idempotencyKeys)
      .where(
        inArray(
          idempotencyKeys.userId,
          people.map((p) => p.userId),
        ),
      );
    expect(keys[0]!.n).toBe(100);
  }, 120_000);

  it('turns the same Idempotency-Key fired 20 times at once into one order', async () => {
    const shop = await makeShop(t, { products: [{ stock: 50 }] });
    const me = await t.login(freshPhone());
    const key = newKey();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => placeOrder(t, me, orderBody(shop, [2]), key)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await ordersOf(shop.id)).toBe(1);
    expect(await stockOf(t, shop.products[0]!.id)).toBe(48);
    // A later retry still replays it; another user's identical key is their own.
    const later = await placeOrder(t, me, orderBody(shop, [2]), key);
    expect(later.body.id).toBe(results[0]!.body.id);
    const other = await t.login(freshPhone());
    const theirs = await placeOrder(t, other, orderBody(shop, [2]), key);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(results[0]!.body.id);
  });

  it('lets a failed attempt be retried with its key', async () => {
    const shop = await makeShop(t, { products: [{ stock: 1 }] });
    const me = await t.login(freshPhone());
    const key = newKey();
    const tooMany = await placeOrder(t, me, orderBody(shop, [2]), key);
    expect(tooMany.status).toBe(409);
    await t.deps.db.execute(
      (await import('drizzle-orm')).sql`UPDATE products SET stock = 5 WHERE id = ${shop.products[0]!.id}`,
    );
    const retried = await placeOrder(t, me, orderBody(shop, [2]), key);
    expect(retried.status).toBe(201);
  });

  it('never deadlocks multi-item orders that list the same products in opposite orders', async () => {
    const shop = await makeShop(t, { products: [{ stock: 1000 }, { stock: 1000 }, { stock: 1000 }] });
    const people = await manyUsers(t, 60);
    const [a, b, c] = shop.products.map((p) => p.id);
    const results = await Promise.all(
      people.map((p, i) =>
        placeOrder(t, p, {
          merchantId: shop.id,
          items: (i % 2 ? [a, b, c] : [c, b, a]).map((productId) => ({ productId, quantity: 1 })),
          delivery: { mode: 'shop_pickup' },
        }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    for (const p of shop.products) expect(await stockOf(t, p.id)).toBe(940);
  });
});

describe('payment confirmation', () => {
  it('moves the order once however often the confirmation is replayed', async () => {
    const shop = await makeShop(t);
    const me = await t.login(freshPhone());
    const { body: order } = await placeOrder(t, me, orderBody(shop, [1]));
    const pay = await t.call({
      method: 'POST',
      url: `/v1/orders/${order.id}/pay`,
      headers: bearer(me),
      payload: {},
    });
    expect(pay.body).toMatchObject({ provider: 'devpay' });
    const again = await t.call({
      method: 'POST',
      url: `/v1/orders/${order.id}/pay`,
      headers: bearer(me),
      payload: {},
    });
    expect(again.body.paymentId).toBe(pay.body.paymentId);
    const confirms = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.call({
          method: 'POST',
          url: `/v1/payments/${pay.body.paymentId}/dev-confirm`,
          headers: bearer(me),
          payload: {},
        }),
      ),
    );
    expect(confirms.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(confirms.every((r) => r.body.status === 'paid')).toBe(true);
    const pays = await t.deps.db
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, order.id), eq(orderEvents.event, 'pay')));
    expect(pays).toHaveLength(1);
    const published = await t.deps.db.select().from(outbox).where(eq(outbox.jobName, 'order.transitioned'));
    expect(published.filter((o) => o.payload.orderId === order.id && o.payload.event === 'pay')).toHaveLength(
      1,
    );
    const paidAgain = await t.call({
      method: 'POST',
      url: `/v1/orders/${order.id}/pay`,
      headers: bearer(me),
      payload: {},
    });
    expect(paidAgain.status).toBe(409);
  });

  it('refunds money that arrives for an order the timeout already cancelled, without reviving it', async () => {
    const shop = await makeShop(t, { products: [{ stock: 10 }] });
    const me = await t.login(freshPhone());
    const { body: order } = await placeOrder(t, me, orderBody(shop, [4]));
    const pay = await t.call({
      method: 'POST',
      url: `/v1/orders/${order.id}/pay`,
      headers: bearer(me),
      payload: {},
    });
    const payWindow = t.deps.config.ORDER_PAY_TIMEOUT_SECONDS * 1000;
    expect(
      await pastDeadline(t, payWindow, () => runJob(t, 'orders', 'order.expire', { orderId: order.id })),
    ).toBe(true);
    expect(await stockOf(t, shop.products[0]!.id)).toBe(10);
    const late = await t.call({
      method: 'POST',
      url: `/v1/payments/${pay.body.paymentId}/dev-confirm`,
      headers: bearer(me),
      payload: {},
    });
    expect(late.status).toBe(200);
    expect(late.body.status).toBe('cancelled');
    expect(late.body.payment.status).toBe('refunding');
    await settle(t);
    expect(await orderStatus(t, order.id)).toBe('cancelled');
    const [p] = await t.deps.db.select().from(payments).where(eq(payments.id, pay.body.paymentId));
    expect(p!.status).toBe('refunded');
    expect(await stockOf(t, shop.products[0]!.id)).toBe(10);
  });

  it('settles a confirmation racing the timeout one way or the other, never both', async () => {
    const shop = await makeShop(t, { products: [{ stock: 1000 }] });
    for (let i = 0; i < 10; i++) {
      const me = await t.login(freshPhone());
      const { body: order } = await placeOrder(t, me, orderBody(shop, [1]));
      const pay = await t.call({
        method: 'POST',
        url: `/v1/orders/${order.id}/pay`,
        headers: bearer(me),
        payload: {},
      });
      await Promise.all([
        pastDeadline(t, t.deps.config.ORDER_PAY_TIMEOUT_SECONDS * 1000, () =>
          runJob(t, 'orders', 'order.expire', { orderId: order.id }),
        ),
        t.call({
          method: 'POST',
          url: `/v1/payments/${pay.body.paymentId}/dev-confirm`,
          headers: bearer(me),
          payload: {},
        }),
      ]);
      await settle(t);
      const status = await orderStatus(t, order.id);
      const [p] = await t.deps.db.select().from(payments).where(eq(payments.id, pay.body.paymentId));
      if (status === 'paid') expect(p!.status).toBe('succeeded');
      else expect([status, p!.status]).toEqual(['cancelled', 'refunded']);
    }
    const sold = await t.deps.db
      .select({ n: count() })
      .from(orders)
      .where(and(eq(orders.merchantId, shop.id), eq(orders.status, 'paid')));
    expect(await stockOf(t, shop.products[0]!.id)).toBe(1000 - sold[0]!.n);
  });
});
