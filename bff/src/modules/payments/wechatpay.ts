import type { Config } from '../../config';
import type { Refund, WechatpayClient, WechatpayConfig } from '../../integrations/wechatpay/api';
import {
  createWechatpayClient,
  WechatpayError,
  WechatpayNotificationError,
} from '../../integrations/wechatpay/client';
import { loadPem } from '../../integrations/wechatpay/keys';
import { outNo, type PaymentProvider, type RefundOutcome } from './provider';

/** Where production's WeChat Pay lives; dev and tests point WECHATPAY_API_BASE at the simulator. */
const WECHATPAY_PRODUCTION_BASE = 'https://api.mch.weixin.qq.com';
/** A prepay id lives 2 hours at WeChat; reuse it only with a margin so the payer never meets a dead one. */
const PREPAY_REUSE_MS = 110 * 60_000;

export const NOTIFY_PATH = '/v1/payments/wechatpay/notify';
export const REFUND_NOTIFY_PATH = '/v1/payments/wechatpay/refund-notify';

export function isWechatpayError(err: unknown): err is WechatpayError {
  return err instanceof WechatpayError;
}
export function isNotificationProblem(err: unknown): err is WechatpayNotificationError {
  return err instanceof WechatpayNotificationError;
}

const apiBase = (c: Config) =>
  c.WECHATPAY_API_BASE ?? (c.NODE_ENV === 'production' ? WECHATPAY_PRODUCTION_BASE : undefined);

/** WeChat Pay takes money when the merchant is configured and there is somewhere to talk to. */
export function wechatpayConfigured(c: Config): boolean {
  return Boolean(c.WECHATPAY_MCHID && apiBase(c) && c.WECHATPAY_NOTIFY_BASE);
}

/** The client's config from ours; keys are read (files or inline PEM) here, never logged. */
export function wechatpayClientConfig(c: Config): WechatpayConfig {
  return {
    baseUrl: apiBase(c)!,
    mchid: c.WECHATPAY_MCHID!,
    appid: c.WECHATPAY_APPID ?? c.WECHAT_APPID,
    merchantPrivateKeyPem: loadPem(
      { pem: c.WECHATPAY_PRIVATE_KEY, path: c.WECHATPAY_PRIVATE_KEY_PATH },
      'WECHATPAY_PRIVATE_KEY',
    ),
    merchantCertSerial: c.WECHATPAY_CERT_SERIAL!,
    apiV3Key: c.WECHATPAY_APIV3_KEY!,
    verifier:
      c.WECHATPAY_VERIFY_MODE === 'public_key'
        ? {
            mode: 'publicKey',
            publicKeyId: c.WECHATPAY_PUBLIC_KEY_ID!,
            publicKeyPem: loadPem(
              { pem: c.WECHATPAY_PUBLIC_KEY, path: c.WECHATPAY_PUBLIC_KEY_PATH },
              'WECHATPAY_PUBLIC_KEY',
            ),
          }
        : { mode: 'platformCertificate' },
  };
}

// One client per loaded config (it caches downloaded platform certificates).
const clients = new WeakMap<Config, WechatpayClient>();

export function wechatpayClient(c: Config): WechatpayClient | null {
  if (!wechatpayConfigured(c)) return null;
  let client = clients.get(c);
  if (!client) {
    client = createWechatpayClient(wechatpayClientConfig(c));
    clients.set(c, client);
  }
  return client;
}

const REFUND_STATUS: Record<Refund['status'], 'succeeded' | 'processing' | 'abnormal' | 'closed'> = {
  SUCCESS: 'succeeded',
  PROCESSING: 'processing',
  ABNORMAL: 'abnormal',
  CLOSED: 'closed',
};

export const refundOutcomeOf = (r: Refund): RefundOutcome => ({
  status: REFUND_STATUS[r.status],
  providerRefundId: r.refundId,
});

/** WeChat Pay v3 JSAPI behind the PaymentProvider interface; the notify URLs are read per call. */
export function wechatpayProvider(c: Config): PaymentProvider | null {
  const client = wechatpayClient(c);
  if (!client) return null;
  const notifyUrl = (path: string) => `${c.WECHATPAY_NOTIFY_BASE!.replace(/\/$/, '')}${path}`;
  return {
    name: 'wechatpay',
    async prepare(payment, payer, opts) {
      if (!payer.openid) throw new Error('WeChat Pay needs the payer’s openid');
      const reusable =
        payment.prepayId &&
        payment.preparedAt &&
        payment.payerOpenid === payer.openid &&
        Date.now() - payment.preparedAt.getTime() < PREPAY_REUSE_MS;
      if (reusable)
        return { params: { ...client.requestPaymentParams(payment.prepayId!) }, prepayId: payment.prepayId };
      const { prepayId, requestPayment } = await client.jsapiPrepay({
        outTradeNo: outNo(payment.id),
        description: opts.description,
        notifyUrl: notifyUrl(NOTIFY_PATH),
        totalFen: payment.amountFen,
        payerOpenid: payer.openid,
        // WeChat refuses the money after the subject's deadline, so paying late cannot happen there.
        ...(opts.expiresAt && opts.expiresAt.getTime() > Date.now() + 60_000
          ? { expiresAt: opts.expiresAt }
          : {}),
      });
      return { params: { ...requestPayment }, prepayId };
    },
    async query(payment) {
      const t = await client.queryByOutTradeNo(outNo(payment.id));
      if (!t) return { paid: false, state: 'NOTFOUND' };
      // REFUND: it was paid (and some of it given back since): the money did arrive.
      if ((t.tradeState === 'SUCCESS' || t.tradeState === 'REFUND') && t.transactionId)
        return { paid: true, transactionId: t.transactionId, amountFen: t.totalFen };
      return { paid: false, state: t.tradeState };
    },
    async close(payment) {
      try {
        await client.close(outNo(payment.id));
        return 'closed';
      } catch (err) {
        if (isWechatpayError(err) && err.code === 'ORDERPAID') return 'paid';
        throw err;
      }
    },
    async refund(r) {
      try {
        return refundOutcomeOf(
          await client.refund({
            outTradeNo: outNo(r.payment.id),
            outRefundNo: outNo(r.refundId),
            refundFen: r.amountFen,
            totalFen: r.payment.amountFen,
            reason: r.reason.slice(0, 80),
            notifyUrl: notifyUrl(REFUND_NOTIFY_PATH),
          }),
        );
      } catch (err) {
        if (!isWechatpayError(err)) throw err;
        return { status: 'failed', code: err.code, retryable: err.retryable, message: err.message };
      }
    },
    async queryRefund(r) {
      const found = await client.queryRefund(outNo(r.refundId));
      return found ? refundOutcomeOf(found) : null;
    },
  };
}
