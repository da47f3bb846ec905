import { and, desc, eq, inArray } from 'drizzle-orm';
import { orderFlow, sourcesOf } from 'shared';
import type { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { enqueue } from '../../jobs/outbox';
import type { JobSpec } from '../../module';
import { orderCompleteJob, orderExpireJob } from './jobs';
import { orderEvents } from './tables';
import { lockOrder, transitionOrder } from './transition';

type Deps = Pick<AppDeps, 'db' | 'config' | 'clock'>;

/**
 * A timeout job re-checks its own deadline against the data, not against the job's word: a forged
 * job, or one that fires a moment early because two machines' clocks differ, changes nothing.
 * When the deadline is still ahead it queues itself again for the time left, so an early run
 * never loses the timeout.
 */
export async function notDueYet<P extends z.ZodType>(
  tx: DbOrTx,
  deps: Pick<Deps, 'clock'>,
  dueAt: Date,
  again: { job: JobSpec<P>; payload: z.input<P> },
): Promise<boolean> {
  const left = dueAt.getTime() - deps.clock.now().getTime();
  if (left <= 0) return false;
  await enqueue(tx, again.job, again.payload, { delayMs: left });
  return true;
}

/** The unpaid-order timeout: cancels and releases stock only once the pay deadline has passed. */
export async function expireUnpaid(deps: Deps, orderId: string): Promise<boolean> {
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
