import { and, desc, eq } from 'drizzle-orm';
import type { Order, OrderSummary } from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { Db } from '../../db/client';
import type { AppDeps } from '../../deps';
import { olderThan, pageOf } from '../../http/cursor';
import { conflict } from '../../http/errors';
import { openPayment, type PaymentSubject, preparePayment, startRefund } from '../payments';
import { orderOwn, ordersStaffSees, paymentOwn } from './policies';
import { orders } from './tables';
import { lockOrder, type OrderRow, transitionOrder, transitionOrFail } from './transition';
import { orderRow, residentView, summaries } from './views';

export async function listOrders(
  db: Db,
  actor: Actor,
  q: { status?: OrderRow['status']; cursor?: string; limit: number },
): Promise<{ items: OrderSummary[]; nextCursor: string | null }> {
  const rows = await db
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.userId, actor.userId),
        q.status ? eq(orders.status, q.status) : undefined,
        olderThan(orders, q.cursor),
      ),
    )
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(q.limit + 1);
  const { page, nextCursor } = pageOf(rows, q.limit);
  return { items: await summaries(db, page), nextCursor };
}

export async function getOrder(db: Db, actor: Actor, id: string): Promise<Order> {
  // The row is read alongside the access check, not after it; a refusal throws before it is used.
  const [, row] = await Promise.all([requireAccess(db, actor, orderOwn, id), orderRow(db, id)]);
  return residentView(db, row!);
}

/** The resident cancels before the merchant accepted; a paid order's money goes back. */
export async function cancelOrder(db: Db, actor: Actor, id: string): Promise<Order> {
  await requireAccess(db, actor, orderOwn, id);
  await db.transaction((tx) =>
    transitionOrFail(tx, { orderId: id, event: 'cancel', actor, set: { cancelReason: 'resident' } }),
  );
  return residentView(db, (await orderRow(db, id))!);
}

export async function payOrder(deps: Pick<AppDeps, 'db' | 'config' | 'clock'>, actor: Actor, id: string) {
  const { db } = deps;
  await requireAccess(db, actor, orderOwn, id);
  const opened = await db.transaction(async (tx) => {
    const order = await lockOrder(tx, id);
    if (order!.status !== 'created')
      throw conflict('ORDER_STATE_CHANGED', `The order is ${order!.status}; there is nothing to pay`);
    if (order!.payBy.getTime() <= deps.clock.now().getTime())
      throw conflict('PAYMENT_EXPIRED', 'The time to pay for this order is over');
    return openPayment(
      tx,
      deps,
      'order',
      { id, totalFen: order!.totalFen, description: '邻里订单', payBy: order!.payBy },
      { userId: actor.actorId },
    );
  });
  // The provider is asked after the order's lock is released: no network inside a transaction.
  return preparePayment(deps, opened);
}

/**
 * Orders are what payments pay for today: the order's lock comes first (the lock order of every
 * transition, so a confirmation and the timeout can race but never deadlock); money that arrives
 * for an order already cancelled (the timeout won the race) is refunded, never revived.
 */
export const ordersArePaidFor: PaymentSubject = {
  lock: async (tx, payment) => {
    await lockOrder(tx, payment.subjectId);
  },
  paid: async (tx, payment) => {
    const paid = await transitionOrder(tx, {
      orderId: payment.subjectId,
      event: 'pay',
      actor: null,
      set: { paidAt: payment.succeededAt! },
    });
    if (!paid) await startRefund(tx, 'order', payment.subjectId);
  },
  view: async (db, payment) => residentView(db, (await orderRow(db, payment.subjectId))!),
  owner: paymentOwn,
  staffSees: ordersStaffSees,
};
