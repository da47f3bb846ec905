import { eq, sql } from 'drizzle-orm';
import { formatOrderNumber, localClock } from 'shared';
import type { DbOrTx } from '../../db/client';
import { orderNumberCounters, orders } from './tables';
import type { OrderRow } from './transition';

/**
 * Gives a new order the shop's next number for its local day. One upsert bumps the day's counter
 * and returns it: concurrent checkouts of one shop queue on that row only from here to commit, so
 * checkout calls this late (right before the stock step, the other short-held hot rows), and a
 * checkout that rolls back gives its number back. The unique (merchant, day, seq) index is the
 * last word.
 */
export async function allocateOrderNumber(
  tx: DbOrTx,
  order: Pick<OrderRow, 'id' | 'merchantId'>,
  at: Date,
  tz: string,
): Promise<{ numberDay: string; numberSeq: number }> {
  const day = localClock(at, tz).date;
  const [row] = await tx
    .insert(orderNumberCounters)
    .values({ merchantId: order.merchantId, day, last: 1 })
    .onConflictDoUpdate({
      target: [orderNumberCounters.merchantId, orderNumberCounters.day],
      set: { last: sql`${orderNumberCounters.last} + 1` },
    })
    .returning({ last: orderNumberCounters.last });
  const numbered = { numberDay: day, numberSeq: row!.last };
  await tx.update(orders).set(numbered).where(eq(orders.id, order.id));
  return numbered;
}

/** The order's short number as people read it (`1202-007`). */
export const orderNumber = (o: Pick<OrderRow, 'id' | 'numberDay' | 'numberSeq'>): string =>
  formatOrderNumber(o.numberDay, o.numberSeq, o.id);
