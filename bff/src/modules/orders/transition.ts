import { eq, inArray, sql } from 'drizzle-orm';
import { IllegalTransition, orderFlow } from 'shared';
import type { Actor } from '../../access/actor';
import type { DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import { conflict } from '../../http/errors';
import { enqueue } from '../../jobs/outbox';
import { audit } from '../audit';
import { closePendingPayment } from '../payments';
import { releaseStock } from '../products';
import { orderTransitionedJob } from './jobs';
import { orderEvents, orderItems, orders } from './tables';

export type OrderRow = typeof orders.$inferSelect;
export type OrderEventName = keyof typeof orderFlow.transitions;

/**
 * What must happen inside the transaction of a transition (so it happens exactly once with it).
 * Everything that may happen later (notifications, refunds) runs from the published event; see
 * `after-transition.ts`.
 */
const WITHIN: Partial<Record<OrderEventName, (tx: DbOrTx, order: OrderRow) => Promise<void>>> = {
  expire: releaseOrderStock,
  cancel: releaseOrderStock,
  reject: releaseOrderStock,
};

async function releaseOrderStock(tx: DbOrTx, order: OrderRow) {
  const lines = await tx
    .select({ productId: orderItems.productId, quantity: orderItems.quantity })
    .from(orderItems)
    .where(eq(orderItems.orderId, order.id));
  await releaseStock(tx, lines);
  await closePendingPayment(tx, 'order', order.id);
}

/** Takes the order's row lock; anything that also touches its payment or refund locks the order first. */
export async function lockOrder(tx: DbOrTx, orderId: string): Promise<OrderRow | undefined> {
  const [row] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
  return row;
}

/** Locks several orders (in id order, so two callers never deadlock) and returns them as locked. */
export async function lockOrders(tx: DbOrTx, ids: string[]): Promise<OrderRow[]> {
  const unique = [...new Set(ids)].sort();
  if (unique.length === 0) return [];
  return tx.select().from(orders).where(inArray(orders.id, unique)).orderBy(orders.id).for('update');
}

export interface TransitionInput {
  orderId: string;
  event: OrderEventName;
  /** Null for the system: timeouts, automatic approvals, payment callbacks. */
  actor: Actor | null;
  note?: string;
  set?: Partial<Pick<OrderRow, 'cancelReason' | 'paidAt'>>;
}

/**
 * The one place an order changes state. The row is locked, the event checked against the flow,
 * the status moved, the timeline and audit written and the change published through the outbox,
 * all in the caller's transaction. Returns null when the order is not in a state the event may
 * start from (a lost race or a replay), so callers decide whether that is an error.
 */
export async function transitionOrder(
  tx: DbOrTx,
  input: TransitionInput,
): Promise<{ order: OrderRow; from: OrderRow['status'] } | null> {
  const { orderId, event, actor } = input;
  const current = await lockOrder(tx, orderId);
  if (!current) return null;
  const to = orderFlow.transitions[event].to;
  const [order] = await advance(tx, orders, orders.status, orderFlow, event, eq(orders.id, orderId), {
    updatedAt: sql`now()`,
    ...input.set,
  });
  if (!order) return null;
  const from = current.status;
  await WITHIN[event]?.(tx, order);
  const [row] = await tx
    .insert(orderEvents)
    .values({
      orderId,
      event,
      fromStatus: from,
      toStatus: to,
      actorId: actor?.actorId ?? null,
      note: input.note ?? null,
    })
    .returning({ id: orderEvents.id });
  await audit(
    tx,
    actor,
    `order.${event}`,
    { type: 'order', id: orderId },
    { from, to, ...(input.note && { note: input.note }) },
  );
  await enqueue(tx, orderTransitionedJob, { orderId, event, from, to, eventId: row!.id });
  return { order, from };
}

/** For people's requests: a lost race is a 409 the client can act on (refresh). */
export async function transitionOrFail(tx: DbOrTx, input: TransitionInput) {
  const done = await transitionOrder(tx, input);
  if (!done) {
    const [o] = await tx.select({ status: orders.status }).from(orders).where(eq(orders.id, input.orderId));
    const err = new IllegalTransition(orderFlow.name, input.event, o?.status ?? 'unknown');
    throw conflict(
      'ORDER_STATE_CHANGED',
      `${err.message}: the order is ${o?.status ?? 'gone'}; refresh and try again`,
    );
  }
  return done;
}

/** A timeline entry that is not a state change (a refund was requested, a code was checked). */
export async function recordOrderNote(
  tx: DbOrTx,
  order: OrderRow,
  event: string,
  actor: Actor | null,
  note?: string,
): Promise<void> {
  await tx.insert(orderEvents).values({
    orderId: order.id,
    event,
    fromStatus: order.status,
    toStatus: order.status,
    actorId: actor?.actorId ?? null,
    note: note ?? null,
  });
}
