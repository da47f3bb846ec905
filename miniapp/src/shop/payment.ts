import Taro from '@tarojs/taro';
import type { RouteResponse } from 'shared';
import { call } from '../api';
import { ApiError } from '../api/errors';

type PayResponse = RouteResponse<'payOrder'>;

export interface Payable {
  id: string;
  totalFen: number;
}

/** Asks the person to confirm devpay's pretend payment of this amount; resolves false on 取消. */
export type ConfirmDevpay = (totalFen: number) => Promise<boolean>;

export type PayOutcome = 'paid' | 'cancelled';

/**
 * Pays orders: opens a payment for each (POST /v1/orders/:id/pay), then hands them to the
 * provider. A failure part-way leaves the rest unpaid; each can be paid again from its page.
 */
export async function payOrders(orders: Payable[], confirmDevpay: ConfirmDevpay): Promise<PayOutcome> {
  const opened: { order: Payable; pay: PayResponse }[] = [];
  for (const order of orders) {
    opened.push({ order, pay: await call('payOrder', { params: { id: order.id }, body: {} }) });
  }
  return settle(opened, confirmDevpay);
}

/**
 * The provider branch, the one place that knows how each provider takes the money. devpay (local
 * only) pretends: the person confirms in our sheet and the BFF's dev endpoint stands in for the
 * provider's callback. WeChat Pay opens the wallet with the params the BFF prepared; the BFF then
 * hears from WeChat itself, so the order page shows 待接单 once the callback arrived.
 */
async function settle(
  opened: { order: Payable; pay: PayResponse }[],
  confirmDevpay: ConfirmDevpay,
): Promise<PayOutcome> {
  const devpay = opened.filter((o) => o.pay.provider === 'devpay');
  if (devpay.length > 0) {
    const total = devpay.reduce((sum, o) => sum + o.order.totalFen, 0);
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
