import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema';
import { startWorkers } from '../../src/workers';
import {
  makeShop,
  orderBody,
  orderStatus,
  payOrder,
  placeOrder,
  stockOf,
  type TestShop,
} from '../fixtures/market';
import { bearer, freshPhone, inbox, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

const silent = { info() {}, warn() {}, error() {} };
let t: TestApp;
let shop: TestShop;

beforeAll(async () => {
  t = await setupTestApp({ ...TEST_ENV, ORDER_PAY_TIMEOUT_SECONDS: '2', REFUND_AUTO_APPROVE_SECONDS: '2' });
  shop = await makeShop(t, { products: [{ stock: 20 }] });
});
afterAll(() => t?.close());

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('timeouts run by real BullMQ workers', () => {
  it('cancels an unpaid order after the timeout even though the worker that queued it died', async () => {
    const me = await t.login(freshPhone());
    const { body: order } = await placeOrder(t, me, orderBody(shop, [5]));
    expect(await stockOf(t, shop.products[0]!.id)).toBe(15);

    // The first worker relays the delayed job to Redis, then goes away before it is due.
    const first = startWorkers(t.deps, silent, { relayIntervalMs: 20 });
    await until(
      async () =>
        (await t.deps.db.select().from(outbox).where(eq(outbox.jobName, 'order.expire'))).filter(
          (r) => r.sentAt,
        ),
      (rows) => rows.length > 0,
    );
    await first.close();
    expect(await orderStatus(t, order.id)).toBe('created');

    const second = startWorkers(t.deps, silent, { relayIntervalMs: 20 });
    try {
      expect(
        await until(
          () => orderStatus(t, order.id),
          (s) => s === 'cancelled',
        ),
      ).toBe('cancelled');
      expect(await stockOf(t, shop.products[0]!.id)).toBe(20);
      expect(
        (
          await until(
            () => inbox(t, me.userId),
            (rows) => rows.some((n) => n.kind === 'order.expired'),
          )
        ).map((n) => n.kind),
      ).toContain('order.expired');
    } finally {
      await second.close();
    }
  });

  it('leaves a paid order alone when its timeout fires, and approves an unanswered refund', async () => {
    const rt = startWorkers(t.deps, silent, { relayIntervalMs: 20 });
    try {
      const me = await t.login(freshPhone());
      const { body: order } = await placeOrder(t, me, orderBody(shop, [1]));
      await payOrder(t, me, order.id);
      await t.call({
        method: 'POST',
        url: `/v1/merchant/orders/${order.id}/accept`,
        headers: bearer(shop.owner),
        payload: {},
      });
      await new Promise((r) => setTimeout(r, 2500));
      expect(await orderStatus(t, order.id)).toBe('accepted');

      const asked = await t.call({
        method: 'POST',
        url: `/v1/orders/${order.id}/refund-request`,
        headers: bearer(me),
        payload: { reason: '不想要了' },
      });
      expect(asked.status).toBe(200);
      expect(
        await until(
          () => orderStatus(t, order.id),
          (s) => s === 'refunded',
        ),
      ).toBe('refunded');
      const view = await until(
        async () =>
          (await t.call({ method: 'GET', url: `/v1/orders/${order.id}`, headers: bearer(me) })).body,
        (b) => b.payment?.status === 'refunded',
      );
      expect(view.refund).toMatchObject({ status: 'approved', autoApproved: true });
      expect(view.payment.status).toBe('refunded');
    } finally {
      await rt.close();
    }
  });
});
