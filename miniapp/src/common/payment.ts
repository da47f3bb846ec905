import Taro from '@tarojs/taro';
import type { RouteResponse } from 'shared';
import { call } from '../api';
import { ApiError } from '../api/errors';

/** What the BFF answers when a payment is opened (orders, care bookings: the same provider step). */
export type PayResponse = RouteResponse<'payOrder'>;

/** Asks the person to confirm devpay's pretend payment of this amount; resolves false on 取消. */
export type ConfirmDevpay = (totalFen: number) => Promise<boolean>;

export type PayOutcome = 'paid' | 'cancelled';

/**
 * The provider branch, the one place that knows how each provider takes the money. devpay (local
 * only) pretends: the person confirms in our sheet and the BFF's dev endpoint stands in for the
 * provider's callback. WeChat Pay opens the wallet with the params the BFF prepared; the BFF then
 * hears from WeChat itself, so the page shows the paid state once the callback arrived.
 */
export async function settlePayments(
  opened: { amountFen: number; pay: PayResponse }[],
  confirmDevpay: ConfirmDevpay,
): Promise<PayOutcome> {
  const devpay = opened.filter((o) => o.pay.provider === 'devpay');
  if (devpay.length > 0) {
    const total = devpay.reduce((sum, o) => sum + o.amountFen, 0);
    if (!(await confirmDevpay(total))) return 'cancelled';
  }
  for (const { pay } of opened) {
    switch (pay.provider) {
      case 'devpay':
        await call('devConfirmPayment', { params: { id: pay.paymentId }, body: {} });
        break;
      case 'wechatpay': {
        if (process.env.TARO_ENV !== 'weapp') throw unsupported();
        try {
          await Taro.requestPayment(pay.params as unknown as Taro.requestPayment.Option);
        } catch (err) {
          if (/cancel/i.test(String((err as { errMsg?: string })?.errMsg ?? err))) return 'cancelled';
          throw new ApiError({ code: 'PAYMENT_FAILED', message: '支付未完成，请稍后重试', status: 0 });
        }
        break;
      }
      default:
        throw unsupported();
    }
  }
  return 'paid';
}

const unsupported = () =>
  new ApiError({ code: 'PAYMENT_UNSUPPORTED', message: '暂不支持该支付方式', status: 0 });
