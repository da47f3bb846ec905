import { and, eq } from 'drizzle-orm';
import { DELIVERY_MODE_LABELS, formatYuan, Id, PAGES, wechatPage } from 'shared';
import type { Config } from '../../config';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { enqueue } from '../../jobs/outbox';
import { merchantRow } from '../merchants';
import { notify } from '../notifications';
import { startRefund } from '../payments';
import { orderCompleteJob } from './jobs';
import { orderNumber } from './numbers';
import { orderEvents } from './tables';
import type { OrderEventName, OrderRow } from './transition';
import { orderRow } from './views';

export interface PublishedTransition {
  /** The timeline row the transition wrote: the proof that it happened. */
  eventId: string;
  orderId: string;
  event: OrderEventName;
  from: OrderRow['status'];
  to: OrderRow['status'];
}

type Hook = (tx: DbOrTx, order: OrderRow, t: PublishedTransition, config: Config) => Promise<void>;

const detail = (o: OrderRow) => `${PAGES.orderDetail}?id=${o.id}`;

/** Tells the resident, in the inbox and (quota allowing) by subscribe message. */
function tellResident(kind: string, title: string, body: (o: OrderRow) => string, phrase: string): Hook {
  return (tx, o, t) =>
    notify(tx, {
      userId: o.userId,
      kind,
      title,
      body: body(o),
      link: detail(o),
      dedupeKey: `${kind}:${o.id}:${t.event}`,
      wechat: {
        template: 'orderStatus',
        page: wechatPage(detail(o)),
        data: { thing1: title, phrase2: phrase, time3: o.updatedAt.toISOString() },
      },
    }).then(() => undefined);
}

async function tellMerchant(tx: DbOrTx, o: OrderRow, kind: string, title: string, body: string) {
  const shop = await merchantRow(tx, o.merchantId);
  await notify(tx, {
    userId: shop!.ownerId,
    kind,
    title,
    body,
    link: PAGES.merchantOrders,
    dedupeKey: `${kind}:${o.id}`,
  });
}

const refundPayment: Hook = async (tx, o) => {
  await startRefund(tx, 'order', o.id);
};

/** Once the goods are in the resident's hands, the order completes after the after-sales window. */
const completeLater: Hook = async (tx, o, _t, config) => {
  await enqueue(
    tx,
    orderCompleteJob,
    { orderId: o.id },
    { delayMs: config.ORDER_COMPLETE_AFTER_HOURS * 3600_000 },
  );
};

/**
 * What follows each published transition, once it has committed. Every hook is safe to run twice
 * (notifications are deduplicated per order and event; a refund starts only from `succeeded`), so a
 * retried or replayed job changes nothing twice.
 */
const AFTER: Partial<Record<OrderEventName, Hook[]>> = {
  handOver: [completeLater],
  collect: [completeLater],
  pay: [
    (tx, o) =>
      tellMerchant(
        tx,
        o,
        'order.new',
        '您有新的订单',
        `新订单 ${orderNumber(o)} ${formatYuan(o.totalFen)}（${DELIVERY_MODE_LABELS[o.deliveryMode]}），请及时接单`,
      ),
  ],
  accept: [
    tellResident(
      'order.accepted',
      '商家已接单',
      (o) => `订单 ${orderNumber(o)} 商家已接单，正在为您备货`,
      '已接单',
    ),
  ],
  reject: [
    tellResident(
      'order.rejected',
      '商家未接单',
      (o) => `很抱歉，商家无法接单订单 ${orderNumber(o)}，货款将原路退回`,
      '已拒单',
    ),
    refundPayment,
  ],
  cancel: [
    refundPayment,
    async (tx, o, t) => {
      if (t.from === 'paid')
        await tellMerchant(
          tx,
          o,
          'order.cancelled',
          '顾客取消了订单',
          `订单 ${orderNumber(o)}（${formatYuan(o.totalFen)}）已被顾客取消，库存已释放`,
        );
    },
  ],
  expire: [
    (tx, o) =>
      notify(tx, {
        userId: o.userId,
        kind: 'order.expired',
        title: '订单已自动取消',
        body: `订单 ${orderNumber(o)} 超时未支付，已为您自动取消`,
        link: detail(o),
        dedupeKey: `order.expired:${o.id}`,
      }).then(() => undefined),
  ],
  pack: [
    tellResident(
      'order.packed',
      '商品已备好',
      (o) =>
        o.deliveryMode === 'shop_pickup'
          ? `订单 ${orderNumber(o)} 请凭取货码 ${o.pickupCode} 到店自提`
          : o.deliveryMode === 'locker'
            ? // Not 送货上门: it goes with the window's batch, and the locker's code comes at the drop.
              `订单 ${orderNumber(o)} 商家已备好货，截单后由骑手统一送到生鲜柜`
            : `订单 ${orderNumber(o)} 商家即将送货上门，收货时请出示取货码 ${o.pickupCode}`,
      '待取货',
    ),
  ],
  refund: [
    refundPayment,
    tellResident(
      'order.refunded',
      '退款成功',
      (o) => `订单 ${orderNumber(o)} 的 ${formatYuan(o.totalFen)} 将原路退回您的支付账户`,
      '已退款',
    ),
  ],
};

/**
 * Runs the hooks of a published transition. The job's word is not enough: it runs only when the
 * order's timeline has that very transition (same row, order, event and states), so a forged job
 * (an `event: refund` naming a picked-up order) or one with a mangled payload changes nothing.
 */
export async function afterTransition(
  deps: Pick<AppDeps, 'db' | 'config'>,
  t: PublishedTransition,
): Promise<boolean> {
  const hooks = AFTER[t.event];
  if (!hooks || !Id.safeParse(t.eventId).success || !Id.safeParse(t.orderId).success) return false;
  return deps.db.transaction(async (tx) => {
    const [recorded] = await tx
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.id, t.eventId), eq(orderEvents.orderId, t.orderId)));
    if (
      !recorded ||
      recorded.event !== t.event ||
      recorded.fromStatus !== t.from ||
      recorded.toStatus !== t.to
    )
      return false;
    const order = await orderRow(tx, t.orderId);
    if (!order) return false;
    for (const hook of hooks) await hook(tx, order, t, deps.config);
    return true;
  });
}
