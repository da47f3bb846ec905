import Taro from '@tarojs/taro';
import { type ReactNode, useEffect, useState } from 'react';
import { type Order, PAGES } from 'shared';
import { call } from '../api';
import { PAYMENT_CONFIRMING } from '../common/payment';
import { cart } from '../market/cart';
import { askToSubscribe, prefetchSubscribeTemplates } from '../notify/subscribe';
import { type CartRow, isLockerRefusal, orderBody } from './cart-model';
import { answerUnknown, describeOrderError } from './order-errors';
import { useDevpaySheet } from './PaySheet';
import { payOrders } from './payment';

export interface Checkout {
  /** Creates one order per chosen group, then pays those that were created. */
  submit: (chosen: Pick<CartRow, 'group' | 's'>[]) => Promise<void>;
  submitting: boolean;
  /** Why a group's order was refused, by merchant id. */
  errors: Record<string, string>;
  /** When some orders went through and others did not. */
  notice: string | null;
  /** devpay's 模拟支付 sheet, drawn by the page. */
  paySheet: ReactNode;
}

/**
 * 提交订单: each merchant's group becomes one order with its own Idempotency-Key, created one after
 * another, then paid together. `reload` is the cart loader's: a locker refusal or a partial success
 * reads the shops and availability again, so the cart offers what is left.
 */
export function useCheckout(reload: () => Promise<void>): Checkout {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const devpay = useDevpaySheet();

  useEffect(() => {
    void prefetchSubscribeTemplates();
  }, []);

  async function submit(chosen: Pick<CartRow, 'group' | 's'>[]) {
    // Before any await: WeChat shows the subscribe prompt only inside the tap.
    const asked = askToSubscribe(['orderStatus']);
    setSubmitting(true);
    setNotice(null);
    const created: Order[] = [];
    const failed: Record<string, string> = {};
    let lockerRefused = false;
    try {
      await asked;
      for (const { group, s } of chosen) {
        const body = orderBody(group, s);
        // The same request after an unanswered attempt reuses its key: the server replays, never doubles.
        const key = cart.checkoutKey(group.merchantId, JSON.stringify(body));
        try {
          const order = await call('createOrder', { body, headers: { 'idempotency-key': key } });
          cart.removeOrdered(
            group.merchantId,
            body.items.map((i) => i.productId),
          );
          created.push(order);
        } catch (err) {
          if (!answerUnknown(err)) cart.forgetCheckoutKey(group.merchantId);
          const names = group.lines.map((l) => l.name);
          failed[group.merchantId] = describeOrderError(err, (i) => names[i]);
          lockerRefused = lockerRefused || isLockerRefusal(err);
        }
      }
      setErrors(failed);
      if (lockerRefused) void reload();
      if (created.length === 0) return;

      let paid = false;
      try {
        const outcome = await payOrders(created, devpay.confirm);
        paid = outcome === 'paid';
        if (paid) void Taro.showToast({ title: '支付成功', icon: 'success' });
        if (outcome === 'confirming') void Taro.showToast({ title: PAYMENT_CONFIRMING, icon: 'none' });
      } catch (err) {
        void Taro.showToast({ title: describeOrderError(err), icon: 'none' });
      }
      if (Object.keys(failed).length > 0) {
        setNotice(
          `已提交 ${created.length} 个订单${paid ? '并完成支付' : '，请在「订单」中付款'}；其余商家的订单未能提交，见下方提示。`,
        );
        void reload();
        return;
      }
      if (created.length === 1) await Taro.redirectTo({ url: `${PAGES.orderDetail}?id=${created[0]!.id}` });
      else await Taro.switchTab({ url: PAGES.orders });
    } finally {
      setSubmitting(false);
    }
  }

  return { submit, submitting, errors, notice, paySheet: devpay.sheet };
}
