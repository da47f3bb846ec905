import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema';
import {
  makeShop,
  newKey,
  orderBody,
  orderStatus,
  pastDeadline,
  payOrder,
  placeOrder,
  runJob,
  settle,
  stockOf,
  type TestShop,
} from '../fixtures/market';
import { auditRows, bearer, freshPhone, inbox, PHONES, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
let shop: TestShop;

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  shop = await makeShop(t, {
    products: [
      { priceFen: 450, stock: 10 },
      { priceFen: 1200, stock: 5 },
    ],
  });
});
afterAll(() => t?.close());

describe('the order lifecycle', () => {
  it('places, pays, accepts, packs and hands over an order, with a timeline and notifications', async () => {
    const me = await t.login(freshPhone());
    const placed = await placeOrder(t, me, orderBody(shop, [2, 1]));
    expect(placed.status).toBe(201);
    const order = placed.body;
    expect(order).toMatchObject({
      status: 'created',
      itemsFen: 2100,
      deliveryFeeFen: 0,
      totalFen: 2100,
      pickupCode: null,
    });
    expect(await stockOf(t, shop.products[0]!.id)).toBe(8);

    const { confirm } = await payOrder(t, me, order.id);
    expect(confirm.status).toBe(200);
    expect(confirm.body.status).toBe('paid');
    await settle(t);
    expect((await inbox(t, shop.owner.userId)).map((n) => n.kind)).toContain('order.new');

    const list = await t.call({
      method: 'GET',
      url: '/v1/merchant/orders?status=paid',
      headers: bearer(shop.owner),
    });
    expect(list.status).toBe(200);
    expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([order.id]);
    expect(list.body.counts.paid).toBe(1);
    expect(list.body.items[0].pickupCode).toBeNull();

    const accepted = await t.call({
      method: 'POST',
      url: `/v1/merchant/orders/${order.id}/accept`,
      headers: bearer(shop.owner),
      payload: {},
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    await settle(t);
    expect((await inbox(t, me.userId)).map((n) => n.kind)).toContain('order.accepted');

    const mine = await t.call({ method: 'GET', url: `/v1/orders/${order.id}`, headers: bearer(me) });
    expect(mine.body.pickupCode).toMatch(/^\d{6}$/);

    const packed = await t.call({
      method: 'POST',
      url: `/v1/merchant/orders/${order.id}/pack`,
      headers: bearer(shop.owner),
      payload: {},
    });
    expect(packed.body.status).toBe('packed');

    const wrong = await t.call({
      method: 'POST',
      url: '/v1/merchant/orders/verify-pickup',
      headers: bearer(shop.owner),
      payload: { code: mine.body.pickupCode === '000000' ? '000001' : '000000' },
    });
    expect(wrong.status).toBe(404);
    expect(wrong.body.error.code).toBe('PICKUP_CODE_INVALID');
    const handed = await t.call({
      method: 'POST',
      url: '/v1/merchant/orders/verify-pickup',
      headers: bearer(shop.owner),
      payload: { code: mine.body.pickupCode },
    });
    expect(handed.status).toBe(200);
    expect(handed.body.status).toBe('picked_up');

    const final = await t.call({ method: 'GET', url: `/v1/orders/${order.id}`, headers: bearer(me) });
    expect(final.body.timeline.map((e: { event: string }) => e.event)).toEqual([
      'create',
      'pay',
      'accept',
      'pack',
      'handOver',
      'codeVerified',
    ]);
    expect(final.body.pickupCode).toBeNull();

    // The after-sales window: the hand-over queued a delayed completion, which runs once.
    await settle(t);
    const [queued] = (
      await t.deps.db.select().from(outbox).where(eq(outbox.jobName, 'order.complete'))
    ).filter((r) => r.payload.orderId === order.id);
    expect(queued!.delayMs).toBe(t.deps.config.ORDER_COMPLETE_AFTER_HOURS * 3600_000);
    const window = t.deps.config.ORDER_COMPLETE_AFTER_HOURS * 3600_000;
    expect(
      await pastDeadline(t, window, () => runJob(t, 'orders', 'order.complete', { orderId: order.id })),
    ).toBe(true);
    expect(
      await pastDeadline(t, window, () => runJob(t, 'orders', 'order.complete', { orderId: order.id })),
    ).toBe(false);
    expect(await orderStatus(t, order.id)).toBe('completed');
  });

  it('lets the resident cancel before acceptance, releasing stock and refunding a paid order', async () => {
    const me = await t.login(freshPhone());
    const before = await stockOf(t, shop.products[1]!.id);
    const { body: order } = await placeOrder(
      t,
      me,
      orderBody(shop, [], { items: [{ productId: shop.products[1]!.id, quantity: 2 }] }),
    );
    expect(await stockOf(t, shop.products[1]!.id)).toBe(before - 2);
    const { paymentId } = await payOrder(t, me, order.id);
    const cancelled = await t.call({
      method: 'POST',
      url: `/v1/orders/${order.id}/cancel`,
      headers: bearer(me),
      payload: {},
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'resident' });
    expect(await stockOf(t, shop.products[1]!.id)).toBe(before);
    await settle(t);
    const after = await t.call({ method: 'GET', url: `/v1/orders/${order.id}`, headers: bearer(me) });
    expect(after.body.payment).toEqual({ id: paymentId, status: 'refunded' });
    const again = await t.call({
      method: 'POST',
      url: `/v1/orders/${order.id}/cancel`,
      headers: bearer(me),
      payload: {},
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ORDER_STATE_CHANGED');
    expect(await stockOf(t, shop.products[1]!.id)).toBe(before);
  });

  it('merchant reject releases stock, refunds and tells the resident', async () => {
    const me = await t.login(freshPhone());
    const before = await stockOf(t, shop.products[0]!.id);
    const { body: order } = await placeOrder(t, me, orderBody(shop, [1]));
    await payOrder(t, me, order.id);
    const rejected = await t.call({
      method: 'POST',
      url: `/v1/merchant/orders/${order.id}/reject`,
      headers: bearer(shop.owner),
      payload: { reason: '今日售罄' },
    });
    expect(rejected.body).toMatchObject({ status: 'cancelled', cancelReason: 'merchant' });
    expect(await stockOf(t, shop.products[0]!.id)).toBe(before);
    await settle(t);
    expect((await inbox(t, me.userId)).map((n) => n.kind)).toContain('order.rejected');
    expect(await orderStatus(t, order.id)).toBe('cancelled');
  });

  it('auto-cancels an unpaid order and releases its stock once, even when the job runs twice', async () => {
    const me = await t.login(freshPhone());
    const before = await stockOf(t, shop.products[0]!.id);
    const { body: order } = await placeOrder(t, me, orderBody(shop, [3]));
    expect(await stockOf(t, shop.products[0]!.id)).toBe(before - 3);
    const payWindow = t.deps.config.ORDER_PAY_TIMEOUT_SECONDS * 1000;
    const results = await pastDeadline(t, payWindow, () =>
      Promise.all([
        runJob(t, 'orders', 'order.expire', { orderId: order.id }),
        runJob(t, 'orders', 'order.expire', { orderId: order.id }),
      ]),
    );
    expect(results.sort()).toEqual([false, true]);
    await pastDeadline(t, payWindow, () => runJob(t, 'orders', 'order.expire', { orderId: order.id }));
    expect(await stockOf(t, shop.products[0]!.id)).toBe(before);
    expect(await orderStatus(t, order.id)).toBe('cancelled');
  });

  it('lets a consented family member order for an elder: the order is the elder’s, the act is audited', async () => {
    const elder = await t.login(PHONES.elder);
    const family = await t.login(PHONES.familyProxy);
    const acting = { ...bearer(family), 'x-on-behalf-of': elder.userId };
    const placed = await t.call({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...acting, 'idempotency-key': newKey() },
      payload: orderBody(shop, [1]),
    });
    expect(placed.status).toBe(201);
    const mine = await t.call({ method: 'GET', url: `/v1/orders/${placed.body.id}`, headers: bearer(elder) });
    expect(mine.status).toBe(200);
    const familyOwn = await t.call({
      method: 'GET',
      url: `/v1/orders/${placed.body.id}`,
      headers: bearer(family),
    });
    expect(familyOwn.status).toBe(404);
    const [row] = await auditRows(t, 'order.created', placed.body.id);
    expect(row).toMatchObject({ actorId: family.userId, onBehalfOf: elder.userId });
    const stranger = await t.login(freshPhone());
    const refused = await t.call({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...bearer(stranger), 'x-on-behalf-of': elder.userId, 'idempotency-key': newKey() },
      payload: orderBody(shop, [1]),
    });
    expect(refused.status).toBe(404);
  });
});
