import { call } from '../api';
import { type ConfirmDevpay, type OpenedPayment, type PayOutcome, settlePayments } from '../common/payment';

export type { ConfirmDevpay, PayOutcome } from '../common/payment';

export interface Payable {
  id: string;
  totalFen: number;
}

/**
 * Pays orders: opens a payment for each (POST /v1/orders/:id/pay), then hands them to the
 * provider. A failure part-way leaves the rest unpaid; each can be paid again from its page.
 */
export async function payOrders(orders: Payable[], confirmDevpay: ConfirmDevpay): Promise<PayOutcome> {
  const opened: OpenedPayment[] = [];
  for (const order of orders) {
    opened.push({
      amountFen: order.totalFen,
      pay: await call('payOrder', { params: { id: order.id }, body: {} }),
      settled: async () => (await call('order', { params: { id: order.id } })).status !== 'created',
    });
  }
  return settlePayments(opened, confirmDevpay);
}
