import { sql } from 'drizzle-orm';
import { formatOrderNumber, localClock } from 'shared';
import type { DbOrTx } from '../../db/client';
import type { OrderRow } from './transition';

/**
 * Gives a new order the shop's next number for its local day. One statement bumps the day's
 * counter and writes it on the order: concurrent checkouts of one shop queue on that row only
 * from here to commit, so checkout sends this late, in the same pipelined batch as the stock step
 * (the other short-held hot rows), and a checkout that rolls back gives its number back. The
 * unique (merchant, day, seq) index is the last word.
 */
export async function allocateOrderNumber(
  tx: DbOrTx,
  order: Pick<OrderRow, 'id' | 'merchantId'>,
  at: Date,
  tz: string,
): Promise<{ numberDay: string; numberSeq: number }> {
  const day = localClock(at, tz).date;
  const [row] = (await tx.execute(sql`
    WITH counter AS (
      INSERT INTO order_number_counters (merchant_id, day, last) VALUES (${order.merchantId}, ${day}, 1)
      ON CONFLICT (merchant_id, day) DO UPDATE SET last = order_number_counters.last + 1
      RETURNING last)
    UPDATE orders SET number_day = ${day}, number_seq = counter.last FROM counter
    WHERE orders.id = ${order.id}
    RETURNING orders.number_seq AS seq`)) as unknown as { seq: number }[];
  if (!row) throw new Error(`order ${order.id} is not in this transaction`);
  return { numberDay: day, numberSeq: row.seq };
}

/** The order's short number as people read it (`1202-007`). */
export const orderNumber = (o: Pick<OrderRow, 'id' | 'numberDay' | 'numberSeq'>): string =>
  formatOrderNumber(o.numberDay, o.numberSeq, o.id);
