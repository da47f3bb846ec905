import { and, eq, inArray, isNotNull, notInArray, type SQL } from 'drizzle-orm';
import { UNPAID_ORDER_STATES } from 'shared';
import { definePolicy } from '../../access/require-access';
import { shopsOwnedBy, shopsServing } from '../merchants';
import { paymentsOfSubjects } from '../payments';
import { staffCommunityIds } from '../places';
import { orders } from './tables';

/**
 * The orders a shop may see at all, for every merchant read (lists, status filters, badges, stats,
 * by id): those whose money has arrived. An unpaid order, or one cancelled before it was paid,
 * carries the resident's name, phone and note and was never the shop's business. `pay` is the only
 * way to `paid_at`, so the two conditions agree; the state list is the one from the flow.
 */
export function shopMaySee(): SQL {
  return and(notInArray(orders.status, [...UNPAID_ORDER_STATES]), isNotNull(orders.paidAt))!;
}

/** A resident's own orders (an elder's, for a consented family proxy). */
export const orderOwn = definePolicy('order.own', (db, actor, list) =>
  db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.userId, actor.userId), inArray(orders.id, list))),
);

/** Ids of a person's own orders, as a subquery (what their payments pay for). */
export function orderIdsOfUser(db: Parameters<typeof shopsOwnedBy>[0], userId: string) {
  return db.select({ id: orders.id }).from(orders).where(eq(orders.userId, userId));
}

/** The payments of a resident's own orders. */
export const paymentOwn = definePolicy('payment.own', (db, actor, list) =>
  paymentsOfSubjects(db, 'order', orderIdsOfUser(db, actor.userId), list),
);

/** A merchant runs the orders of their own shop only; unpaid orders are not theirs yet. */
export const orderManage = definePolicy('order.manage', (db, actor, list) =>
  db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        inArray(orders.merchantId, shopsOwnedBy(db, actor.actorId)),
        shopMaySee(),
        inArray(orders.id, list),
      ),
    ),
);

/** Ids of the orders of the shop a person owns, as a subquery (refunds decide by it). */
export function ordersOfShopOwnedBy(db: Parameters<typeof shopsOwnedBy>[0], ownerId: string) {
  return db
    .select({ id: orders.id })
    .from(orders)
    .where(inArray(orders.merchantId, shopsOwnedBy(db, ownerId)));
}

/** Ids of the orders of shops serving a community a staff member runs (their failed refunds are staff's to chase). */
export function ordersStaffSees(db: Parameters<typeof shopsOwnedBy>[0], staffId: string) {
  return db
    .select({ id: orders.id })
    .from(orders)
    .where(inArray(orders.merchantId, shopsServing(db, staffCommunityIds(db, staffId))));
}
