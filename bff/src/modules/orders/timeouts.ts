import { and, desc, eq, inArray } from 'drizzle-orm';
import { orderFlow, sourcesOf } from 'shared';
import type { Db } from '../../db/client';
import type { AppDeps } from '../../deps';
import { notDueYet } from '../../jobs/not-due-yet';
import { reconcilePending } from '../payments';
import { orderCompleteJob, orderExpireJob } from './jobs';
import { orderEvents } from './tables';
import { lockOrder, transitionOrder } from './transition';
import { orderRow } from './views';

type Deps = Pick<AppDeps, 'db' | 'config' | 'clock'>;

/** The unpaid-order timeout: cancels and releases stock only once the pay deadline has passed. */
export async function expireUnpaid(deps: Deps, orderId: string): Promise<boolean> {
  // Due and still unpaid here: ask the provider first (its notification may be lost or late), before
  // the transaction (no network while the order is locked). Paid there -> paid here, not cancelled.
  const seen = await orderRow(deps.db, orderId);
  if (
    seen?.status === 'created' &&
    seen.payBy.getTime() <= deps.clock.now().getTime() &&
    (await reconcilePending(deps, 'order', orderId)) === 'paid'
  )
    return false;
  return deps.db.transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (!order || !sourcesOf(orderFlow, 'expire').includes(order.status)) return false;
    const again = { job: orderExpireJob, payload: { orderId } };
    if (await notDueYet(tx, deps, order.payBy, again)) return false;
    return (
      (await transitionOrder(tx, {
        orderId,
        event: 'expire',
        actor: null,
        set: { cancelReason: 'timeout' },
      })) !== null
    );
  });
}

/** Completion after the after-sales window, counted from the hand-over or the locker pickup. */
export async function completeAfterWindow(deps: Deps, orderId: string): Promise<boolean> {
  const db: Db = deps.db;
  return db.transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (!order || !sourcesOf(orderFlow, 'complete').includes(order.status)) return false;
    const [received] = await tx
      .select({ at: orderEvents.createdAt })
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, orderId), inArray(orderEvents.event, ['handOver', 'collect'])))
      .orderBy(desc(orderEvents.createdAt))
      .limit(1);
    if (!received) return false;
    const dueAt = new Date(received.at.getTime() + deps.config.ORDER_COMPLETE_AFTER_HOURS * 3600_000);
    const again = { job: orderCompleteJob, payload: { orderId } };
    if (await notDueYet(tx, deps, dueAt, again)) return false;
    return (await transitionOrder(tx, { orderId, event: 'complete', actor: null })) !== null;
  });
}
