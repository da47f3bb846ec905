import { and, inArray } from 'drizzle-orm';
import { definePolicy } from '../../access/require-access';
import { ordersOfShopOwnedBy } from '../orders';
import { refunds } from './tables';

/** A merchant decides the refunds of their own shop's orders only. */
export const refundDecide = definePolicy('refund.decide', (db, actor, list) =>
  db
    .select({ id: refunds.id })
    .from(refunds)
    .where(and(inArray(refunds.orderId, ordersOfShopOwnedBy(db, actor.actorId)), inArray(refunds.id, list))),
);
