import {
  CANCEL_REASON_LABELS,
  courierStarted,
  ORDER_STATUS_LABELS,
  type Order,
  type OrderStatus,
  orderFlow,
} from 'shared';

/** What each timeline event means to the resident; unknown events fall back to the state's name. */
const EVENT_TEXT: Record<string, string> = {
  create: '提交订单',
  pay: '付款成功',
  expire: '超时未付款，订单已自动取消',
  cancel: '订单已取消',
  accept: '商家已接单',
  reject: '商家未接单',
  pack: '商家已备好货',
  // The cut-off put it in the batch; the courier has not necessarily set out (see statusHint).
  batch: '已截单，安排配送批次',
  drop: '已放入生鲜柜',
  handOver: '已取货',
  codeVerified: '商家已核验取货码',
  collect: '已从生鲜柜取货',
  delegatePickup: '志愿者已凭一次性代取码代取',
  complete: '订单已完成',
  miss: '超时未取货',
  extend: '已延长保管',
  return: '已退回商家',
  refund: '已退款',
  refundRequested: '申请退款',
  refundRejected: '商家拒绝退款',
  refundApproved: '商家同意退款',
};

export function eventText(e: { event: string; status: OrderStatus }): string {
  return EVENT_TEXT[e.event] ?? ORDER_STATUS_LABELS[e.status];
}

export const REFUND_STATUS_TEXT = {
  requested: '退款申请中',
  approved: '已同意退款',
  rejected: '商家已拒绝退款',
} as const;

/**
 * States a resident may ask for a refund from (after the merchant accepted; and a locker order the
 * courier took back to the merchant after it went uncollected).
 */
const REFUNDABLE: readonly OrderStatus[] = ['accepted', 'packed', 'picked_up', 'completed', 'returned'];

export function canRequestRefund(order: Pick<Order, 'status' | 'refund'>): boolean {
  const open = order.refund && order.refund.status !== 'rejected';
  return (
    REFUNDABLE.includes(order.status) && orderFlow.transitions.refund.from.includes(order.status) && !open
  );
}

export function cancelReasonText(order: Pick<Order, 'cancelReason'>): string | null {
  return order.cancelReason ? CANCEL_REASON_LABELS[order.cancelReason] : null;
}

/** Words for where the order stands, under the status tag. */
export function statusHint(
  order: Pick<Order, 'status' | 'delivery'> & {
    locker?: { batchStatus: NonNullable<Order['locker']>['batchStatus'] } | null;
    timeline?: readonly { event: string }[];
  },
): string | null {
  switch (order.status) {
    case 'created':
      return '请在付款截止前完成支付，超时订单将自动取消。';
    case 'paid':
      return '已付款，等待商家接单；商家接单前可取消订单。';
    case 'accepted':
      return order.delivery.mode === 'locker'
        ? '商家正在备货，截单后统一送到生鲜柜。'
        : order.delivery.mode === 'home'
          ? '商家正在备货，备好后送货上门。'
          : '商家正在备货，备好后即可到店取货。';
    case 'packed':
      return order.delivery.mode === 'locker'
        ? '商家已备好货，截单后统一送到生鲜柜。'
        : order.delivery.mode === 'home'
          ? '商家已备好货，即将送货上门。'
          : '商家已备好货，请凭取货码到店取货。';
    case 'in_batch':
      if (courierStarted(order)) return '骑手已出发，商品正在送往生鲜柜，放入后会通知您取件码。';
      return order.timeline?.some((e) => e.event === 'pack')
        ? '已截单，商家已备好货，等待骑手出发配送。'
        : '已截单，商家正在备货，等待骑手出发配送。';
    case 'in_locker':
      return '商品已放入生鲜柜，请凭取件码及时取货。';
    case 'overdue':
      return '已超过免费保管时间，请尽快取货或延长保管，否则商品将退回商家。';
    case 'returned':
      return '超时未取，商品已退回商家。';
    default:
      return null;
  }
}
