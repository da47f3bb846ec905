import Taro from '@tarojs/taro';
import type { RouteResponse } from 'shared';
import { call } from '../api';
import { ApiError } from '../api/errors';

/** What the BFF answers when a payment is opened (orders, care bookings: the same provider step). */
export type PayResponse = RouteResponse<'payOrder'>;

/** Asks the person to confirm devpay's pretend payment of this amount; resolves false on 取消. */
export type ConfirmDevpay = (totalFen: number) => Promise<boolean>;

/**
 * 'confirming': WeChat said the money left the wallet but the BFF has not heard from WeChat Pay yet
 * (its notification, or the order's own query, settles it); the page says so and reloads later.
 */
export type PayOutcome = 'paid' | 'cancelled' | 'confirming';

/** One opened payment: the amount, what the BFF answered, and how to ask it whether the money arrived. */
export interface OpenedPayment {
  amountFen: number;
  pay: PayResponse;
  /** True once the BFF has the money (for an order: it left `created`). Polled after WeChat's success. */
  settled?: () => Promise<boolean>;
}

/** What a page says when WeChat took the money but the BFF has not confirmed it yet. */
export const PAYMENT_CONFIRMING = '支付结果确认中，请稍后刷新查看';

/** How long to wait for the BFF to hear from WeChat Pay after the wallet closes: about 12 s in all. */
export const SETTLE_DELAYS_MS = [500, 1000, 1000, 1500, 2000, 3000, 3000];

/**
 * Asks `settled` until it says yes or the delays run out. The wallet's success callback is only the
 * client's word; the money counts once the BFF has it.
 */
export async function waitUntilSettled(
  settled: () => Promise<boolean>,
  delays: readonly number[] = SETTLE_DELAYS_MS,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<boolean> {
  for (const ms of delays) {
    await sleep(ms);
    try {
      if (await settled()) return true;
    } catch {
      // A failed look is no answer: ask again after the next delay.
    }
  }
  return false;
}

/**
 * The provider branch, the one place that knows how each provider takes the money. devpay (local
 * only) pretends: the person confirms in our sheet and the BFF's dev endpoint stands in for the
 * provider's callback. WeChat Pay opens the wallet with the params the BFF prepared; the BFF then
 * hears from WeChat itself, so the page shows the paid state once the callback arrived.
 */
export async function settlePayments(
  opened: OpenedPayment[],
  confirmDevpay: ConfirmDevpay,
): Promise<PayOutcome> {
  let confirming = false;
  const devpay = opened.filter((o) => o.pay.provider === 'devpay');
  if (devpay.length > 0) {
    const total = devpay.reduce((sum, o) => sum + o.amountFen, 0);
    if (!(await confirmDevpay(total))) return 'cancelled';
  }
  for (const { pay, settled } of opened) {
    switch (pay.provider) {
      case 'devpay':
        await call('devConfirmPayment', { params: { id: pay.paymentId }, body: {} });
        break;
      case 'wechatpay': {
        if (process.env.TARO_ENV !== 'weapp') throw unsupported();
        const outcome = await payInWallet(pay, settled);
        if (outcome === 'cancelled') return 'cancelled';
        if (outcome === 'confirming') confirming = true;
        break;
      }
      default:
        throw unsupported();
    }
  }
  return confirming ? 'confirming' : 'paid';
}

/**
 * WeChat Pay's wallet sheet with the parameters the BFF signed. 取消 leaves the thing payable until
 * its timeout (the page keeps its pay button); success is only the client's word, so the BFF is
 * asked until it has the money.
 */
export async function payInWallet(
  pay: PayResponse,
  settled: OpenedPayment['settled'],
  requestPayment: (o: Taro.requestPayment.Option) => Promise<unknown> = (o) => Taro.requestPayment(o),
  delays: readonly number[] = SETTLE_DELAYS_MS,
): Promise<PayOutcome> {
  try {
    await requestPayment(pay.params as unknown as Taro.requestPayment.Option);
  } catch (err) {
    if (/cancel/i.test(String((err as { errMsg?: string })?.errMsg ?? err))) return 'cancelled';
    throw new ApiError({ code: 'PAYMENT_FAILED', message: '支付未完成，请稍后重试', status: 0 });
  }
  if (settled && !(await waitUntilSettled(settled, delays))) return 'confirming';
  return 'paid';
}

const unsupported = () =>
  new ApiError({ code: 'PAYMENT_UNSUPPORTED', message: '暂不支持该支付方式', status: 0 });
