import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderEvents, outbox, payments, refunds } from '../../src/db/schema';
import {
  makeShop,
  orderBody,
  orderStatus,
  payOrder,
  placeOrder,
  runJob,
  settle,
  type TestShop,
} from '../fixtures/market';
import { bearer, freshPhone, TEST_ENV } from '../fixtures/people';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
let shop: TestShop;

beforeAll(async () => {
  t = await setupTestApp(TEST_ENV);
  shop = await makeShop(t, { products: [{ stock: 100, priceFen: 1200 }] });
});
afterAll(() => t?.close());

async function paidAcceptedOrder() {
  const me = await t.login(freshPhone());
  const { body: order } = await placeOrder(t, me, orderBody(shop, [1]));
  const { paymentId } = await payOrder(t, me, order.id);
  const accepted = await t.call({
    method: 'POST',
    url: `/v1/merchant/orders/${order.id}/accept`,
    headers: bearer(shop.owner),
    payload: {},
  });
  expect(accepted.body.status).toBe('accepted');
  await settle(t);
  return { me, orderId: order.id as string, paymentId: paymentId as string };
}

const paymentStatus = async (id: string) =>
  (await t.deps.db.select().from(payments).where(eq(payments.id, id)))[0]!.status;

describe('the queue board', () => {
  it('is not for a community’s staff: they cannot tell it exists, its API included', async () => {
    const staff = await t.login('13800000001');
    const resident = await t.login(freshPhone());
    const unknown = await t.call({ method: 'GET', url: '/admin/no-such-page', headers: bearer(staff) });
    expect(unknown.status).toBe(404);
    // Signed out, as a resident or as staff: the same answer as a route that does not exist.
    for (const headers of [{}, bearer(resident), bearer(staff), { authorization: 'Bearer not.a.token' }])
      for (const url of ['/admin/queues', '/admin/queues/api/queues', '/admin/queues/api/queues/orders/x']) {
        const res = await t.call({ method: 'GET', url, headers });
        expect(res.status, url).toBe(404);
        expect(res.body, url).toEqual(unknown.body);
      }
    const add = await t.call({
      method: 'POST',
      url: '/admin/queues/api/queues/orders/add',
      headers: bearer(staff),
      payload: { name: 'order.transitioned', data: {} },
    });
    expect(add.status).toBe(404);
  });

  it('is read-only for operators: no verb adds, promotes, retries, cleans, pauses or edits a job', async () => {
    const operator = await t.login('13800000030');
    const { orderId } = await paidAcceptedOrder();
    const q = t.deps.queues.get('orders');
    const before = await q.count();
    const list = await t.call({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer(operator) });
    expect(list.status).toBe(200);

    const attempts: Array<[string, string, unknown]> = [
      [
        'POST',
        '/admin/queues/api/queues/orders/add',
        { name: 'order.transitioned', data: { orderId, event: 'refund', from: 'accepted', to: 'refunded' } },
      ],
      ['PUT', '/admin/queues/api/queues/orders/promote', {}],
      ['PUT', '/admin/queues/api/queues/orders/retry/failed', {}],
      ['PUT', '/admin/queues/api/queues/orders/clean/completed', {}],
      ['PUT', '/admin/queues/api/queues/orders/pause', {}],
      ['PUT', '/admin/queues/api/queues/pause', {}],
      ['PUT', '/admin/queues/api/queues/orders/empty', {}],
      ['PUT', '/admin/queues/api/queues/orders/obliterate', {}],
      ['PUT', '/admin/queues/api/queues/orders/some-job/promote', {}],
      ['PATCH', '/admin/queues/api/queues/orders/some-job/update-data', { data: {} }],
    ];
    for (const [method, url, payload] of attempts) {
      const res = await t.call({
        method: method as 'POST',
        url,
        headers: bearer(operator),
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      expect(res.status, `${method} ${url}`).toBe(405);
      expect(res.body.error.code).toBe('READ_ONLY');
    }
    expect(await q.count()).toBe(before);
    expect(await q.isPaused()).toBe(false);
  });
});

describe('jobs take no one’s word for a change', () => {
  it('a forged order.transitioned refund moves no money', async () => {
    const { orderId, paymentId } = await paidAcceptedOrder();
    expect(await paymentStatus(paymentId)).toBe('succeeded');
    const [accept] = await t.deps.db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId));
    const forged = [
      // No such timeline row.
      { orderId, event: 'refund', from: 'accepted', to: 'refunded', eventId: uuidv7() },
      // A real row of this order, for another event.
      { orderId, event: 'refund', from: 'accepted', to: 'refunded', eventId: accept!.id },
    ];
    for (const data of forged) expect(await runJob(t, 'orders', 'order.transitioned', data)).toBe(false);
    // The payload of the attack carried no proof at all: it does not even parse, and the job
    // fails for good with a message that says why.
    for (const data of [
      { orderId, event: 'refund', from: 'picked_up', to: 'refunded' },
      { orderId, event: 'refund', from: 'accepted', to: 'refunded', eventId: 'not-an-id' },
      { orderId, event: 'teleport', from: 'accepted', to: 'refunded', eventId: accept!.id },
    ])
      await expect(runJob(t, 'orders', 'order.transitioned', data)).rejects.toThrow(
        /bad payload.*eventId|event/,
      );
    await settle(t);
    expect(await paymentStatus(paymentId)).toBe('succeeded');
    expect(await orderStatus(t, orderId)).toBe('accepted');
  });

  it('a real transition’s hooks still run, once, when its job is replayed', async () => {
    const { orderId } = await paidAcceptedOrder();
    const [row] = await t.deps.db
      .select()
      .from(orderEvents)
      .where(eq(orderEvents.orderId, orderId))
      .then((rows) => rows.filter((r) => r.event === 'accept'));
    const job = { orderId, event: 'accept', from: 'paid', to: 'accepted', eventId: row!.id };
    expect(await runJob(t, 'orders', 'order.transitioned', job)).toBe(true);
    expect(await runJob(t, 'orders', 'order.transitioned', job)).toBe(true);
    const notices = await t.deps.db.execute(
      `SELECT count(*)::int AS n FROM notifications WHERE dedupe_key = 'order.accepted:${orderId}:accept'`,
    );
    expect((notices as unknown as { n: number }[])[0]!.n).toBe(1);
  });

  it('timeouts fired early or forged change nothing and are queued again for the time left', async () => {
    const me = await t.login(freshPhone());
    const { body: order } = await placeOrder(t, me, orderBody(shop, [1]));
    expect(await runJob(t, 'orders', 'order.expire', { orderId: order.id })).toBe(false);
    expect(await orderStatus(t, order.id)).toBe('created');
    const again = (await t.deps.db.select().from(outbox).where(eq(outbox.jobName, 'order.expire'))).filter(
      (r) => r.payload.orderId === order.id,
    );
    // The one checkout queued, and the one the early run queued for the time left.
    expect(again).toHaveLength(2);
    const left = again[1]!.delayMs;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(t.deps.config.ORDER_PAY_TIMEOUT_SECONDS * 1000);

    const { me: buyer, orderId } = await paidAcceptedOrder();
    const ask = await t.call({
      method: 'POST',
      url: `/v1/orders/${orderId}/refund-request`,
      headers: bearer(buyer),
      payload: { reason: '不新鲜', photos: [] },
    });
    expect(ask.status).toBe(200);
    const refundId = ask.body.refund.id as string;
    expect(await runJob(t, 'orders', 'refund.autoApprove', { refundId })).toBe(false);
    const [r] = await t.deps.db.select().from(refunds).where(eq(refunds.id, refundId));
    expect(r!.status).toBe('requested');

    // Completion of an order nobody received yet, or before its after-sales window: nothing.
    expect(await runJob(t, 'orders', 'order.complete', { orderId })).toBe(false);
    expect(await orderStatus(t, orderId)).toBe('accepted');
  });
});
