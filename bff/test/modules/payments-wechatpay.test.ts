import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { payments, users } from '../../src/db/schema';
import { createWechatpayClient } from '../../src/integrations/wechatpay/client';
import { paySignMessage, verifySha256WithRsa } from '../../src/integrations/wechatpay/sign';
import type { WechatpaySimulator } from '../../src/integrations/wechatpay/simulator';
import { careWorld, insertCareBooking } from '../fixtures/care';
import {
  makeShop,
  orderBody,
  orderStatus,
  pastDeadline,
  placeOrder,
  runJob,
  settle,
  stockOf,
  type TestShop,
} from '../fixtures/market';
import { bearer, freshPhone } from '../fixtures/people';
import {
  auditOf,
  outNo,
  payEvents,
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

beforeAll(async () => {
  ({ t, sim, close } = await setupWechatpayApp());
  shop = await makeShop(t, { products: [{ priceFen: 650, stock: 1000 }] });
});
afterAll(() => close?.());

const FAIL = { code: 'FAIL', message: '失败' };

async function placeAndPay(who: Who, quantity = 2) {
  const placed = await placeOrder(t, who, orderBody(shop, [quantity]));
  expect(placed.status).toBe(201);
  const pay = await t.call({
    method: 'POST',
    url: `/v1/orders/${placed.body.id}/pay`,
    headers: bearer(who),
    payload: {},
  });
  expect(pay.status).toBe(200);
  return { orderId: placed.body.id as string, paymentId: pay.body.paymentId as string, pay: pay.body };
}

const timeout = () => t.deps.config.ORDER_PAY_TIMEOUT_SECONDS * 1000;
const expire = (orderId: string) =>
  pastDeadline(t, timeout(), () => runJob(t, 'orders', 'order.expire', { orderId }));

describe('prepay', () => {
  it('a WeChat payer gets wx.requestPayment params signed with the merchant key; paying again reuses the prepay id', async () => {
    const me = await wechatUser(t);
    const { orderId, paymentId, pay } = await placeAndPay(me);
    expect(pay.provider).toBe('wechatpay');
    const { timeStamp, nonceStr, package: pkg, signType, paySign } = pay.params;
    expect(signType).toBe('RSA');
    expect(pkg).toMatch(/^prepay_id=wx/);
    expect(Math.abs(Number(timeStamp) - Date.now() / 1000)).toBeLessThan(60);
    const message = paySignMessage(sim.merchant.appid, timeStamp, nonceStr, pkg);
    expect(verifySha256WithRsa(message, paySign, sim.merchant.publicKeyPem)).toBe(true);
    expect(
      verifySha256WithRsa(message.replace('prepay_id', 'prepay_iD'), paySign, sim.merchant.publicKeyPem),
    ).toBe(false);

    const tx = sim.transactions().find((x) => x.outTradeNo === outNo(paymentId))!;
    expect(tx).toMatchObject({ totalFen: 1300, payerOpenid: me.openid, tradeState: 'NOTPAY' });
    expect(`prepay_id=${tx.prepayId}`).toBe(pkg);
    const row = await paymentRow(t, paymentId);
    expect(row).toMatchObject({ provider: 'wechatpay', prepayId: tx.prepayId, payerOpenid: me.openid });

    const prepays = () => sim.requests().filter((r) => r.path === '/v3/pay/transactions/jsapi').length;
    const before = prepays();
    const again = await t.call({
      method: 'POST',
      url: `/v1/orders/${orderId}/pay`,
      headers: bearer(me),
      payload: {},
    });
    expect(again.body.paymentId).toBe(paymentId);
    expect(again.body.params.package).toBe(pkg);
    expect(prepays()).toBe(before);

    // devpay's stand-in confirm does not exist for a payment WeChat Pay takes.
    const dev = await t.call({
      method: 'POST',
      url: `/v1/payments/${paymentId}/dev-confirm`,
      headers: bearer(me),
      payload: {},
    });
    expect(dev.status).toBe(404);
    expect(await orderStatus(t, orderId)).toBe('created');
  });

  it('a pending WeChat payment another WeChat user started (an elder, then a family member) is not taken over', async () => {
    const me = await wechatUser(t);
    const { orderId, paymentId } = await placeAndPay(me, 1);
    // As if the other person's phone had opened the wallet for this payment first.
    await t.deps.db.update(payments).set({ payerOpenid: 'o_someone_else' }).where(eq(payments.id, paymentId));
    const prepays = () => sim.requests().filter((r) => r.path === '/v3/pay/transactions/jsapi').length;
    const before = prepays();
    const mine = await t.call({
      method: 'POST',
      url: `/v1/orders/${orderId}/pay`,
      headers: bearer(me),
      payload: {},
    });
    expect(mine.status).toBe(409);
    expect(mine.body.error.code).toBe('PAYMENT_STARTED_BY_OTHER');
    expect(prepays()).toBe(before);
    expect((await paymentRow(t, paymentId)).status).toBe('pending');
  });

  it('a payer without an openid (H5, phone login) still pays with devpay outside production', async () => {
    const me = await t.login(freshPhone());
    const { pay } = await placeAndPay(me, 1);
    expect(pay.provider).toBe('devpay');
    expect(pay.params.confirmPath).toMatch(/dev-confirm$/);
  });

  it('WeChat Pay not answering the prepay is a 503 PAYMENT_UNAVAILABLE, and the order stays payable', async () => {
    const me = await wechatUser(t);
    const placed = await placeOrder(t, me, orderBody(shop, [1]));
    sim.failNext('prepay', { status: 500, code: 'SYSTEM_ERROR' });
    const pay = await t.call({
      method: 'POST',
      url: `/v1/orders/${placed.body.id}/pay`,
      headers: bearer(me),
      payload: {},
    });
    expect(pay.status).toBe(503);
    expect(pay.body.error.code).toBe('PAYMENT_UNAVAILABLE');
    const retry = await t.call({
      method: 'POST',
      url: `/v1/orders/${placed.body.id}/pay`,
      headers: bearer(me),
      payload: {},
    });
    expect(retry.status).toBe(200);
    expect(retry.body.params.package).toMatch(/^prepay_id=/);
  });
});

describe('payment notifications', () => {
  it('replayed 10 times one after the other and 10 at once: one pay event, one confirmation', async () => {
    const me = await wechatUser(t);
    const { orderId, paymentId } = await placeAndPay(me);
    await sim.pay(outNo(paymentId));
    expect(await orderStatus(t, orderId)).toBe('paid');
    const sequential = await sim.notify({ outTradeNo: outNo(paymentId) }, { times: 10 });
    const concurrent = await sim.notify({ outTradeNo: outNo(paymentId) }, { times: 10, concurrent: true });
    for (const n of [...sequential, ...concurrent]) expect(n.status).toBe(204);
    expect(sequential).toHaveLength(10);
    expect(concurrent).toHaveLength(10);
    expect(await payEvents(t, orderId)).toHaveLength(1);
    expect(await auditOf(t, 'payment.confirmed', paymentId)).toHaveLength(1);
    const row = await paymentRow(t, paymentId);
    expect(row.status).toBe('succeeded');
    expect(row.providerRef).toBe(
      sim.transactions().find((x) => x.outTradeNo === outNo(paymentId))!.transactionId,
    );
  });

  it('two copies at once of the first notification still make one payment', async () => {
    const me = await wechatUser(t);
    const { orderId, paymentId } = await placeAndPay(me);
    await sim.pay(outNo(paymentId), { notify: 'twice' });
    await sim.idle();
    expect(await orderStatus(t, orderId)).toBe('paid');
    expect(await payEvents(t, orderId)).toHaveLength(1);
  });

  it.each([
    ['a forged signature', { notify: 'badSignature' as const }, 401],
    ['an unknown serial', { notify: 'unknownSerial' as const }, 401],
    ['a stale timestamp', { notify: 'staleTimestamp' as const }, 401],
    ['a tampered ciphertext', { notify: 'tamperedCiphertext' as const }, 401],
    ['wrong associated data', { notify: 'wrongAssociatedData' as const }, 401],
    ['a wrong amount', { amountFen: 1 }, 400],
    ['a wrong mchid', { mchid: '1999999999' }, 400],
    ['a wrong appid', { appid: 'wx0000000000000000' }, 400],
  ])('%s is refused with FAIL and changes nothing', async (_label, opts, status) => {
    const me = await wechatUser(t);
    const { orderId, paymentId } = await placeAndPay(me);
    await sim.pay(outNo(paymentId), opts);
    await sim.idle();
    const sent = sim.notifications().filter((n) => n.outTradeNo === outNo(paymentId));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.status).toBe(status);
    expect(sent[0]!.accepted).toBe(false);
    expect(JSON.parse(sent[0]!.responseBody)).toEqual(FAIL);
    expect(await orderStatus(t, orderId)).toBe('created');
    expect((await paymentRow(t, paymentId)).status).toBe('pending');
    expect(await payEvents(t, orderId)).toHaveLength(0);
    // Only a verified notification that is not ours as we know it is audited (no flood from strangers).
    expect(await auditOf(t, 'payment.notification_refused', paymentId)).toHaveLength(status === 400 ? 1 : 0);

    // The genuine notification, when WeChat sends it again, still pays the order.
    const retried = await sim.notify({ outTradeNo: outNo(paymentId) });
    if (status === 401) {
      expect(retried[0]!.status).toBe(204);
      expect(await orderStatus(t, orderId)).toBe('paid');
    }
  });

  it('an unknown out_trade_no is refused with FAIL and audited', async () => {
    // A transaction of this merchant that is no payment of ours (made straight at WeChat Pay).
    const client = createWechatpayClient(sim.clientConfig());
    const stranger = randomBytes(16).toString('hex');
    await client.jsapiPrepay({
      outTradeNo: stranger,
      description: '不是我们的',
      notifyUrl: `${t.deps.config.WECHATPAY_NOTIFY_BASE}/v1/payments/wechatpay/notify`,
      totalFen: 100,
      payerOpenid: 'o_stranger',
    });
    await sim.pay(stranger);
    const [sent] = sim.notifications().filter((n) => n.outTradeNo === stranger);
    expect(sent!.status).toBe(400);
    expect(JSON.parse(sent!.responseBody)).toEqual(FAIL);
    const refused = await auditOf(t, 'payment.notification_refused');
    expect(refused.some((a) => (a.data as { reason?: string }).reason === 'UNKNOWN_OUT_TRADE_NO')).toBe(true);
  });

  it('a hostile body never gets a 5xx: garbage, no headers, a huge body', async () => {
    const url = '/v1/payments/wechatpay/notify';
    for (const payload of ['not json', '{"resource":{}}', '']) {
      const res = await t.call({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body).toEqual(FAIL);
    }
    const big = await t.call({
      method: 'POST',
      url: '/v1/payments/wechatpay/refund-notify',
      headers: { 'content-type': 'text/plain' },
      payload: 'x'.repeat(200 * 1024),
    });
    expect(big.status).toBe(413);
    expect(big.body).toEqual(FAIL);
  });
});

describe('reconciliation at the pay timeout', () => {
  it('a lost notification: the timeout job asks WeChat Pay, finds it paid, and pays the order instead of cancelling', async () => {
    const me = await wechatUser(t);
    const { orderId, paymentId } = await placeAndPay(me);
    await sim.pay(outNo(paymentId), { notify: 'never' });
    expect(await orderStatus(t, orderId)).toBe('created');
    expect(await expire(orderId)).toBe(false);
    expect(await orderStatus(t, orderId)).toBe('paid');
    expect(await payEvents(t, orderId)).toHaveLength(1);
    expect((await paymentRow(t, paymentId)).status).toBe('succeeded');
  });

  it('unpaid at WeChat: the order expires and its transaction is closed there, once', async () => {
    const me = await wechatUser(t);
    const stock = await stockOf(t, shop.products[0]!.id);
    const { orderId, paymentId } = await placeAndPay(me);
    expect(await expire(orderId)).toBe(true);
    expect(await orderStatus(t, orderId)).toBe('cancelled');
    expect(await stockOf(t, shop.products[0]!.id)).toBe(stock);
    expect((await paymentRow(t, paymentId)).status).toBe('closed');
    await settle(t);
    expect(sim.transactions().find((x) => x.outTradeNo === outNo(paymentId))!.tradeState).toBe('CLOSED');
    // Again (a replayed job): closing a closed transaction is fine and changes nothing.
    expect(await runJob(t, 'payments', 'payment.close', { paymentId })).toBe(true);
    expect((await paymentRow(t, paymentId)).status).toBe('closed');
  });

  it('paid after the cancel: the money is confirmed and refunded automatically, reaching WeChat Pay', async () => {
    const me = await wechatUser(t);
    const { orderId, paymentId } = await placeAndPay(me);
    expect(await expire(orderId)).toBe(true);
    // The payer's WeChat had the cashier open; the money lands before our close reached WeChat.
    await sim.pay(outNo(paymentId));
    expect(await orderStatus(t, orderId)).toBe('cancelled');
    expect((await paymentRow(t, paymentId)).status).toBe('refunding');
    await settle(t);
    const [refund] = await refundsOf(t, paymentId);
    expect(refund).toMatchObject({ status: 'processing', amountFen: 1300, attempts: 1 });
    const atWechat = sim.refunds().filter((r) => r.outTradeNo === outNo(paymentId));
    expect(atWechat).toEqual([
      expect.objectContaining({ outRefundNo: outNo(refund!.id), refundFen: 1300, status: 'PROCESSING' }),
    ]);
    await sim.settleRefund(outNo(refund!.id));
    expect((await refundsOf(t, paymentId))[0]!.status).toBe('succeeded');
    const paid = await paymentRow(t, paymentId);
    expect(paid).toMatchObject({ status: 'refunded', refundedFen: 1300 });
    expect(paid.refundedAt).not.toBeNull();
    expect(await orderStatus(t, orderId)).toBe('cancelled');
  });

  it('paid while the close is on its way: ORDERPAID on close -> confirmed, then refunded', async () => {
    const me = await wechatUser(t);
    const { orderId, paymentId } = await placeAndPay(me);
    expect(await expire(orderId)).toBe(true);
    await sim.pay(outNo(paymentId), { notify: 'never' });
    expect((await paymentRow(t, paymentId)).status).toBe('closed');
    expect(await runJob(t, 'payments', 'payment.close', { paymentId })).toBe(true);
    expect((await paymentRow(t, paymentId)).status).toBe('refunding');
    await settle(t);
    const [refund] = await refundsOf(t, paymentId);
    expect(refund!.status).toBe('processing');
    expect(await orderStatus(t, orderId)).toBe('cancelled');
  });
});

describe('care self-pay', () => {
  it('a family member signed in with WeChat pays an elder’s booking through WeChat Pay; a cancel refunds it there', async () => {
    const world = await careWorld(t);
    const booking = await insertCareBooking(t, { world, startsAt: new Date(Date.now() + 3 * 86_400_000) });
    // The family member's account came in through WeChat (an openid): they pay, for the elder.
    await t.deps.db
      .update(users)
      .set({ openid: `o_family_${booking.id.slice(-8)}` })
      .where(eq(users.id, world.family.userId));
    const asFamily = { ...bearer(world.family), 'x-on-behalf-of': world.elder.userId };
    const pay = await t.call({
      method: 'POST',
      url: `/v1/care/bookings/${booking.id}/pay`,
      headers: asFamily,
      payload: {},
    });
    expect(pay.status).toBe(200);
    expect(pay.body.provider).toBe('wechatpay');
    const tx = sim.transactions().find((x) => x.outTradeNo === outNo(pay.body.paymentId))!;
    expect(tx).toMatchObject({
      totalFen: booking.selfPayFen,
      payerOpenid: `o_family_${booking.id.slice(-8)}`,
    });
    expect(tx.description).toContain('邻里照护');
    await sim.pay(outNo(pay.body.paymentId));
    const seen = await t.call({ method: 'GET', url: `/v1/care/bookings/${booking.id}`, headers: asFamily });
    expect(seen.body.paid).toBe(true);

    const cancel = await t.call({
      method: 'POST',
      url: `/v1/care/bookings/${booking.id}/cancel`,
      headers: asFamily,
      payload: {},
    });
    expect(cancel.status).toBe(200);
    await settle(t);
    const [refund] = await refundsOf(t, pay.body.paymentId);
    expect(refund).toMatchObject({ status: 'processing', amountFen: booking.selfPayFen });
    await sim.settleRefund(outNo(refund!.id));
    expect((await paymentRow(t, pay.body.paymentId)).status).toBe('refunded');
  });
});

describe('platform-certificate mode', () => {
  it('verifies answers and notifications with the downloaded platform certificate', async () => {
    const other = await setupWechatpayApp(
      {
        WECHATPAY_VERIFY_MODE: 'platform_certificate',
        WECHATPAY_PUBLIC_KEY: '',
        WECHATPAY_PUBLIC_KEY_ID: '',
      },
      { verifierMode: 'platformCertificate' },
    );
    try {
      const s2 = await makeShop(other.t, { products: [{ priceFen: 300 }] });
      const me = await wechatUser(other.t);
      const placed = await placeOrder(other.t, me, orderBody(s2, [1]));
      const pay = await other.t.call({
        method: 'POST',
        url: `/v1/orders/${placed.body.id}/pay`,
        headers: bearer(me),
        payload: {},
      });
      expect(pay.body.provider).toBe('wechatpay');
      expect(other.sim.requests().some((r) => r.path === '/v3/certificates')).toBe(true);
      await other.sim.pay(outNo(pay.body.paymentId));
      const [sent] = other.sim.notifications();
      expect(sent!.status).toBe(204);
      expect(await orderStatus(other.t, placed.body.id)).toBe('paid');
    } finally {
      await other.close();
    }
  });
});

describe('configuration', () => {
  it('production refuses to start without WeChat Pay (devpay is never used there)', () => {
    const prod = {
      NODE_ENV: 'production',
      JWT_SECRET: 'p'.repeat(40),
      DATABASE_URL: t.deps.config.DATABASE_URL,
      WECHAT_API_BASE: 'https://api.weixin.qq.com',
    };
    expect(() => loadConfig(prod)).toThrow(/WECHATPAY_MCHID is required in production/);
  });
});
