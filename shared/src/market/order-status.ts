import { ORDER_STATUS_LABELS, type OrderStatus } from '../contracts/orders';
import type { batchFlow } from '../state/flows';

type BatchStatus = (typeof batchFlow.states)[number];

/**
 * The short number people read and say (`1202-007`): the shop's local day (month and day, in
 * Asia/Shanghai) and its place among that day's orders. Orders older than numbers keep their uuid
 * tail so they can still be told apart.
 */
export function formatOrderNumber(day: string | null, seq: number | null, orderId: string): string {
  if (!day || !seq) return orderId.replace(/-/g, '').slice(-4);
  const [, mm, dd] = day.split('-');
  return `${mm}${dd}-${String(seq).padStart(3, '0')}`;
}

/** What a status label needs to know beyond the order's own state. */
export interface OrderStatusFacts {
  status: OrderStatus;
  delivery: { mode: 'shop_pickup' | 'home' | 'locker' };
  /** The locker part: the state of the batch of the order's window (null before there is one). */
  locker?: { batchStatus: BatchStatus | null } | null;
}

/** Has the courier of this locker order's batch set out (then it is really on the way)? */
export const courierStarted = (o: OrderStatusFacts): boolean =>
  o.locker?.batchStatus === 'in_progress' || o.locker?.batchStatus === 'done';

/**
 * The word for where an order stands, true now: a locker order in a batch is 待配送 until its
 * courier starts the run, and 配送中 after; a packed locker order waits for the cut-off (there is
 * nothing to collect at the shop, so not 待取货).
 */
export function orderStatusLabel(o: OrderStatusFacts): string {
  if (o.status === 'in_batch') return courierStarted(o) ? '配送中' : '待配送';
  if (o.status === 'packed' && o.delivery.mode === 'locker') return '已备货';
  if (o.status === 'packed' && o.delivery.mode === 'home') return '待送货';
  return ORDER_STATUS_LABELS[o.status];
}

/**
 * A locker order the cut-off put in a batch while the shop was still packing: the shop may still
 * say it is packed (once), until the courier has set out to collect it.
 */
export const mayPackInBatch = (o: OrderStatusFacts & { timeline: readonly { event: string }[] }): boolean =>
  o.status === 'in_batch' && !courierStarted(o) && !o.timeline.some((e) => e.event === 'pack');
