import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payments, refunds } from '../../src/db/schema';
import {
  makeShop,
  orderBody,
  orderStatus,
  pastDeadline,
  payOrder,
  placeOrder,
  runJob,
  settle,
  type TestShop,
} from '../fixtures/market';
import { bearer, freshPhone, inbox, TEST_ENV } from '../fixtures/people';
import { uploadDir, uploadPhotos } from '../fixtures/uploads';
import { setupTestApp, type TestApp } from '../helper';

let t: TestApp;
let shop: TestShop;
const store = uploadDir();

beforeAll(async () => {
  t = await setupTestApp({ ...TEST_ENV, ...store.env, REFUND_AUTO_APPROVE_SECONDS: '1800' });
  shop = await makeShop(t, { products: [{ stock: 1000, priceFen: 800 }] });
});
afterAll(async () => {
  await t?.close();
  store.cleanup();
});

/** An order the merchant has accepted, and its refund request. */
async function acceptedOrder() {
  const me = await t.login(freshPhone());
  const { body: order } = await placeOrder(t, me, orderBody(shop, [2]));
  const { paymentId } = await payOrder(t, me, order.id);
  const accepted = await t.call({
    method: 'POST',
    url: `/v1/merchant/orders/${order.id}/accept`,
    headers: bearer(shop.owner),
    payload: {},
  });
  expect(accepted.body.status).toBe('accepted');
  return { me, orderId: order.id as string, paymentId };
}

async function askRefund(me: { authorization: string }, orderId: string) {
  const res = await t.call({
    method: 'POST',
    url: `/v1/orders/${orderId}/refund-request`,
    headers: bearer(me),
    // A photo goes up first, as the app does it; the request names the upload.
    payload: { reason: '菜叶发黄', photos: await uploadPhotos(t, me) },
  });
  expect(res.status).toBe(200);
  return res.body.refund.id as string;
}

describe('refunds', () => {
  it('merchant approval refunds the order and the payment, and tells both sides', async () => {
    const { me, orderId, paymentId } = await acceptedOrder();
    const refundId = await askRefund(me, orderId);
    expect((await inbox(t, shop.owner.userId)).some((n) => n.kind === 'refund.requested')).toBe(true);
    const merchantView = await t.call({
      method: 'GET',
      url: `/v1/merchant/orders/${orderId}`,
      headers: bearer(shop.owner),
    });
    expect(merchantView.body.refund).toMatchObject({
      status: 'requested',
      reason: '菜叶发黄',
      amountFen: 1600,
    });
    const approved = await t.call({
      method: 'POST',
      url: `/v1/merchant/refunds/${refundId}/approve`,
      headers: bearer(shop.owner),
      payload: { note: '抱歉' },
    });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('refunded');
    expect(approved.body.refund).toMatchObject({
      status: 'approved',
      autoApproved: false,
      merchantNote: '抱歉',
    });
    await settle(t);
    const [p] = await t.deps.db.select().from(payments).where(eq(payments.id, paymentId));
    expect(p!.status).toBe('refunded');
    expect((await inbox(t, me.userId)).some((n) => n.kind === 'order.refunded')).toBe(true);
    // The auto-approval that was queued when the request came in now finds nothing to do.
    const [r] = await t.deps.db.select().from(refunds).where(eq(refunds.id, refundId));
    expect(await runJob(t, 'orders', 'refund.autoApprove', { refundId: r!.id })).toBe(false);
  });

  it('merchant rejection keeps the order and tells the resident why; they may ask again', async () => {
    const { me, orderId } = await acceptedOrder();
    const refundId = await askRefund(me, orderId);
    const rejected = await t.call({
      method: 'POST',
      url: `/v1/merchant/refunds/${refundId}/reject`,
      headers: bearer(shop.owner),
      payload: { reason: '已超过售后时间' },
    });
    expect(rejected.body.status).toBe('accepted');
    expect(rejected.body.refund).toMatchObject({ status: 'rejected', merchantNote: '已超过售后时间' });
    const told = (await inbox(t, me.userId)).find((n) => n.kind === 'refund.rejected');
    expect(told?.body).toContain('已超过售后时间');
    expect(await runJob(t, 'orders', 'refund.autoApprove', { refundId })).toBe(false);
    expect(await orderStatus(t, orderId)).toBe('accepted');
    await askRefund(me, orderId);
  });

  it('approves automatically when the merchant does not answer in time', async () => {
    const { me, orderId, paymentId } = await acceptedOrder();
    const refundId = await askRefund(me, orderId);
    // Before the merchant's time is up the job leaves the decision to the merchant.
    expect(await runJob(t, 'orders', 'refund.autoApprove', { refundId })).toBe(false);
    expect(await orderStatus(t, orderId)).toBe('accepted');
    const answerWindow = t.deps.config.REFUND_AUTO_APPROVE_SECONDS * 1000;
    expect(
      await pastDeadline(t, answerWindow, () => runJob(t, 'orders', 'refund.autoApprove', { refundId })),
    ).toBe(true);
    expect(
      await pastDeadline(t, answerWindow, () => runJob(t, 'orders', 'refund.autoApprove', { refundId })),
    ).toBe(false);
    await settle(t);
    const view = await t.call({ method: 'GET', url: `/v1/orders/${orderId}`, headers: bearer(me) });
    expect(view.body.status).toBe('refunded');
    expect(view.body.refund).toMatchObject({ status: 'approved', autoApproved: true });
    expect(view.body.payment).toEqual({ id: paymentId, status: 'refunded' });
    expect(view.body.timeline.at(-1)).toMatchObject({
      event: 'refund',
      note: '商家超时未处理，系统自动同意退款',
    });
    const late = await t.call({
      method: 'POST',
      url: `/v1/merchant/refunds/${refundId}/reject`,
      headers: bearer(shop.owner),
      payload: { reason: '太晚了' },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('REFUND_ALREADY_DECIDED');
  });

  it('lets exactly one of a merchant decision and the timeout win a race', async () => {
    for (let i = 0; i < 5; i++) {
      const { me, orderId } = await acceptedOrder();
      const refundId = await askRefund(me, orderId);
      const [merchant, job] = await Promise.all([
        t.call({
          method: 'POST',
          url: `/v1/merchant/refunds/${refundId}/reject`,
          headers: bearer(shop.owner),
          payload: { reason: '已核实无质量问题' },
        }),
        pastDeadline(t, t.deps.config.REFUND_AUTO_APPROVE_SECONDS * 1000, () =>
          runJob(t, 'orders', 'refund.autoApprove', { refundId }),
        ),
      ]);
      const [r] = await t.deps.db.select().from(refunds).where(eq(refunds.id, refundId));
      if (job) {
        expect(merchant.status).toBe(409);
        expect(r!.status).toBe('approved');
        expect(await orderStatus(t, orderId)).toBe('refunded');
      } else {
        expect(merchant.status).toBe(200);
        expect(r!.status).toBe('rejected');
        expect(await orderStatus(t, orderId)).toBe('accepted');
      }
    }
  });
});
