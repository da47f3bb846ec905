import { and, isNotNull, notInArray, type SQL } from 'drizzle-orm';
import { UNPAID_ORDER_STATES } from 'shared';
import { orders } from '../db/schema';

/**
 * The orders a shop may see at all, for every merchant read (lists, status filters, badges, stats,
 * by id): those whose money has arrived. An unpaid order, or one cancelled before it was paid,
 * carries the resident's name, phone and note and was never the shop's business. `pay` is the only
 * way to `paid_at`, so the two conditions agree; the state list is the one from the flow.
 */
export function shopMaySee(): SQL {
  return and(notInArray(orders.status, [...UNPAID_ORDER_STATES]), isNotNull(orders.paidAt))!;
}
