import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WechatpaySimulator } from '../../src/integrations/wechatpay/simulator';
import { startPartialRefund, startRefund } from '../../src/modules/payments';
import { makeShop, orderBody, payOrder, placeOrder, runJob, settle, type TestShop } from '../fixtures/market';
import { bearer, freshPhone, makeStaff, PHONES } from '../fixtures/people';
import {
  auditOf,
  outNo,
  paymentRow,
  refundsOf,
  setupWechatpayApp,
  type Who,
  wechatUser,
} from '../fixtures/wechatpay';
import type { TestApp } from '../helper';

let t: TestApp;
let sim: WechatpaySimulator;
let close: () => Promise<void>;
let shop: TestShop;
let staff: Who;

beforeAll(async () => {
  ({ t, sim, close } = await setupWechatpayApp());
  shop = await makeShop(t, { products: [{ priceFen: 800, stock: 1000 }] });
  staff = await t.login(PHONES.staff);
});
afterAll(() => close?.());

/** A WeChat payer's order, paid at WeChat Pay (2 x 8 元 = 1600 fen). */
async function paidOrder() {
  const me = await wechatUser(t);
  const placed = await placeOrder(t, me, orderBody(shop, [2]));
  const pay = await t.call({
    method: 'POST',
    url: `/v1/orders/${placed.body.id}/pay`,
    headers: bearer(me),
    payload: {},
  });
  await sim.pay(outNo(pay.body.paymentId));
  return { me, orderId: placed.body.id as string, paymentId: pay.body.paymentId as string };
}

/**
 * The resident cancels the paid order (before the shop accepted): the whole amount goes back. The
 * order's after-commit hooks run (they record the refund); the refund job itself is left to the test.
 */
async function cancel(who: Who, orderId: string) {
  const res = await t.call({
    method: 'POST',
    url: `/v1/orders/${orderId}/cancel`,
    headers: bearer(who),
    payload: {},
  });
  expect(res.status).toBe(200);
  const rows = (await t.deps.db.execute(sql`
    UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL AND delay_ms = 0 AND queue = 'orders'
    RETURNING job_name, payload`)) as unknown as { job_name: string; payload: Record<string, unknown> }[];
  for (const r of rows) await runJob(t, 'orders', r.job_name, r.payload);
}

const merchantOrder = async (orderId: string) =>
  (await t.call({ method: 'GET', url: `/v1/merchant/orders/${orderId}`, headers: bearer(shop.owner) })).body;

describe('refunds through WeChat Pay', () => {
  it('a refund notification replayed (one after the other and at once) moves the refund and the payment once', async () => {
    const { me, orderId, paymentId } = await paidOrder();
    await cancel(me, orderId);
    await settle(t);
    const [r] = await refundsOf(t, paymentId);
    expect(r).toMatchObject({ status: 'processing', amountFen: 1600 });
    await sim.settleRefund(outNo(r!.id));
    const done = (await refundsOf(t, paymentId))[0]!;
    expect(done.status).toBe('succeeded');
    const paid = await paymentRow(t, paymentId);
    expect(paid.status).toBe('refunded');

    const again = [
      ...(await sim.notify({ outRefundNo: outNo(r!.id) }, { times: 5 })),
      ...(await sim.notify({ outRefundNo: outNo(r!.id) }, { times: 5, concurrent: true })),
    ];
    for (const n of again) expect(n.status).toBe(204);
    const after = (await refundsOf(t, paymentId))[0]!;
    expect(after.succeededAt).toEqual(done.succeededAt);
    expect(after.updatedAt).toEqual(done.updatedAt);
    expect((await paymentRow(t, paymentId)).refundedAt).toEqual(paid.refundedAt);
    expect(sim.refunds().filter((x) => x.outTradeNo === outNo(paymentId))).toHaveLength(1);
  });

  it('NOT_ENOUGH at WeChat: the refund shows failed with the reason to the shop, the job retries, then it succeeds', async () => {
    const { me, orderId, paymentId } = await paidOrder();
    await cancel(me, orderId);
    const [r] = await refundsOf(t, paymentId);
    sim.failNextRefund('NOT_ENOUGH', 403);
    // The worker's attempt throws, so BullMQ retries it with backoff.
    await expect(runJob(t, 'payments', 'payment.refund', { refundId: r!.id })).rejects.toThrow(/NOT_ENOUGH/);
    expect((await refundsOf(t, paymentId))[0]).toMatchObject({
      status: 'failed',
      lastError: 'NOT_ENOUGH',
      attempts: 1,
    });
    const view = await merchantOrder(orderId);
    expect(view.paymentRefunds).toEqual([
      expect.objectContaining({ id: r!.id, status: 'failed', lastError: 'NOT_ENOUGH', amountFen: 1600 }),
    ]);
    expect(await auditOf(t, 'payment.refund_failed', r!.id)).toHaveLength(1);

    // BullMQ's retry: the same out_refund_no, accepted this time.
    expect(await runJob(t, 'payments', 'payment.refund', { refundId: r!.id })).toBe(true);
    expect((await refundsOf(t, paymentId))[0]).toMatchObject({
      status: 'processing',
      lastError: null,
      attempts: 2,
    });
    expect((await merchantOrder(orderId)).paymentRefunds[0].status).toBe('processing');
    await sim.settleRefund(outNo(r!.id));
    expect((await refundsOf(t, paymentId))[0]!.status).toBe('succeeded');
    expect((await paymentRow(t, paymentId)).status).toBe('refunded');
  });

  it('a refusal that retrying cannot fix stays failed, is listed for staff, and staff retry it to success', async () => {
    const { me, orderId, paymentId } = await paidOrder();
    await cancel(me, orderId);
    const [r] = await refundsOf(t, paymentId);
    sim.failNextRefund('USER_ACCOUNT_ABNORMAL', 400);
    // Not retryable: the job ends (no BullMQ retry) and the row waits for a person.
    expect(await runJob(t, 'payments', 'payment.refund', { refundId: r!.id })).toBe(true);
    expect((await refundsOf(t, paymentId))[0]).toMatchObject({
      status: 'failed',
      lastError: 'USER_ACCOUNT_ABNORMAL',
    });

    const list = await t.call({ method: 'GET', url: '/v1/staff/payment-refunds', headers: bearer(staff) });
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(
      expect.objectContaining({
        id: r!.id,
        status: 'failed',
        subject: 'order',
        subjectId: orderId,
        provider: 'wechatpay',
      }),
    );
    // Staff of no community (or another one) see none of it.
    const stray = await makeStaff(t, { runsDemo: false });
    const theirs = await t.call({ method: 'GET', url: '/v1/staff/payment-refunds', headers: bearer(stray) });
    expect(theirs.body.items.map((x: { id: string }) => x.id)).not.toContain(r!.id);
    const resident = await t.call({ method: 'GET', url: '/v1/staff/payment-refunds', headers: bearer(me) });
    expect(resident.status).toBe(403);

    const retry = await t.call({
      method: 'POST',
      url: `/v1/staff/payment-refunds/${r!.id}/retry`,
      headers: bearer(staff),
      payload: {},
    });
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe('requested');
    const twice = await t.call({
      method: 'POST',
      url: `/v1/staff/payment-refunds/${r!.id}/retry`,
      headers: bearer(staff),
      payload: {},
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('PAYMENT_REFUND_NOT_RETRYABLE');
    await settle(t);
    expect((await refundsOf(t, paymentId))[0]!.status).toBe('processing');
    await sim.settleRefund(outNo(r!.id));
    expect((await refundsOf(t, paymentId))[0]!.status).toBe('succeeded');
    expect((await paymentRow(t, paymentId)).status).toBe('refunded');
  });

  it('REFUND.ABNORMAL: the refund is abnormal, the payment not refunded, staff see it', async () => {
    const { me, orderId, paymentId } = await paidOrder();
    await cancel(me, orderId);
    await settle(t);
    const [r] = await refundsOf(t, paymentId);
    await sim.settleRefund(outNo(r!.id), 'ABNORMAL');
    expect((await refundsOf(t, paymentId))[0]).toMatchObject({ status: 'abnormal', lastError: 'ABNORMAL' });
    expect((await paymentRow(t, paymentId)).status).toBe('refunding');
    const list = await t.call({
      method: 'GET',
      url: '/v1/staff/payment-refunds?status=abnormal',
      headers: bearer(staff),
    });
    expect(list.body.items.map((x: { id: string }) => x.id)).toContain(r!.id);
    expect(list.body.items.every((x: { status: string }) => x.status === 'abnormal')).toBe(true);
    expect(await auditOf(t, 'payment.refund_abnormal', r!.id)).toHaveLength(1);
  });

  it('a lost refund notification: the delayed re-check asks WeChat Pay where the refund stands', async () => {
    const { me, orderId, paymentId } = await paidOrder();
    await cancel(me, orderId);
    // The refund is asked for with a notify_url nobody answers at, so its notification is lost.
    const url = t.deps.config.WECHATPAY_NOTIFY_BASE;
    t.deps.config.WECHATPAY_NOTIFY_BASE = 'http://127.0.0.1:9';
    try {
      await settle(t);
    } finally {
      t.deps.config.WECHATPAY_NOTIFY_BASE = url;
    }
    const [r] = await refundsOf(t, paymentId);
    expect(r!.status).toBe('processing');
    // A re-check while WeChat is still processing it: nothing moves, another is queued for later.
    expect(await runJob(t, 'payments', 'payment.refund', { refundId: r!.id })).toBe(false);
    expect((await refundsOf(t, paymentId))[0]).toMatchObject({ status: 'processing', attempts: 2 });
    await sim.settleRefund(outNo(r!.id));
    expect(
      sim
        .notifications()
        .filter((n) => n.outRefundNo === outNo(r!.id))
        .every((n) => !n.accepted),
    ).toBe(true);
    expect((await refundsOf(t, paymentId))[0]!.status).toBe('processing');
    // The re-check queued when WeChat took the refund (delayed, run here at once).
    const queued = await t.deps.db.execute(
      sql`SELECT delay_ms FROM outbox WHERE job_name = 'payment.refund' AND payload->>'refundId' = ${r!.id} AND delay_ms > 0`,
    );
    expect(queued.map((q) => Number(q.delay_ms)).sort((a, b) => a - b)).toEqual([600_000, 600_000]);
    expect(await runJob(t, 'payments', 'payment.refund', { refundId: r!.id })).toBe(true);
    expect((await refundsOf(t, paymentId))[0]!.status).toBe('succeeded');
    expect((await paymentRow(t, paymentId)).status).toBe('refunded');
  });
});

describe('partial refunds', () => {
  it('never exceed the payment, even ten at once; the rest then goes back in full', async () => {
    const me = await t.login(freshPhone());
    const placed = await placeOrder(t, me, orderBody(shop, [2]));
    const { paymentId } = await payOrder(t, me, placed.body.id);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        t.deps.db.transaction((tx) => startPartialRefund(tx, 'order', placed.body.id, 300, '部分退款')),
      ),
    );
    const made = results.filter((r) => r.status === 'fulfilled' && r.value !== null);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    // 1600 fen paid: five refunds of 300 fit, the sixth would make 1800.
    expect(made).toHaveLength(5);
    expect((await paymentRow(t, paymentId)).refundedFen).toBe(1500);
    expect((await paymentRow(t, paymentId)).status).toBe('succeeded');
    expect(
      await t.deps.db.transaction((tx) => startPartialRefund(tx, 'order', placed.body.id, 101, 'x')),
    ).toBeNull();

    expect(await t.deps.db.transaction((tx) => startRefund(tx, 'order', placed.body.id))).toBe(true);
    expect(await t.deps.db.transaction((tx) => startRefund(tx, 'order', placed.body.id))).toBe(false);
    const all = await refundsOf(t, paymentId);
    expect(all.map((r) => r.amountFen).sort((a, b) => a - b)).toEqual([100, 300, 300, 300, 300, 300]);
    expect((await paymentRow(t, paymentId)).status).toBe('refunding');
    await settle(t);
    expect((await refundsOf(t, paymentId)).every((r) => r.status === 'succeeded')).toBe(true);
    expect(await paymentRow(t, paymentId)).toMatchObject({ status: 'refunded', refundedFen: 1600 });
  });

  it('a partial refund through WeChat Pay leaves the payment succeeded until the rest goes back', async () => {
    const { orderId, paymentId } = await paidOrder();
    const part = await t.deps.db.transaction((tx) =>
      startPartialRefund(tx, 'order', orderId, 500, '少了一斤'),
    );
    await settle(t);
    await sim.settleRefund(outNo(part!.id));
    expect(await paymentRow(t, paymentId)).toMatchObject({ status: 'succeeded', refundedFen: 500 });
    const atWechat = sim.refunds().filter((x) => x.outTradeNo === outNo(paymentId));
    expect(atWechat).toEqual([
      expect.objectContaining({ refundFen: 500, totalFen: 1600, status: 'SUCCESS' }),
    ]);
  });
});
