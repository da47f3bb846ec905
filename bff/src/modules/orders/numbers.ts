import { type SQL, sql } from 'drizzle-orm';
import { formatOrderNumber, localClock } from 'shared';
import type { Bindable } from '../../db/compiled';
import type { OrderRow } from './transition';

/** The local day an order placed at `at` is numbered in. */
export const orderNumberDay = (at: Date, tz: string): string => localClock(at, tz).date;

/**
 * The shop's next `count` numbers for its local day, as a statement for checkout's write
 * statement (answering `seq`, the last of them: they are seq - count + 1 to seq). Concurrent
 * checkouts of one shop queue on the day's counter row only for that statement and its commit,
 * and a checkout that fails gives its numbers back. The unique (merchant, day, seq) index is the
 * last word.
 */
export const nextNumberStatement = (
  merchantId: Bindable<string>,
  day: Bindable<string>,
  count: Bindable<number> = 1,
): SQL => sql`
  INSERT INTO order_number_counters (merchant_id, day, last) VALUES (${merchantId}, ${day}, ${count}::int)
  ON CONFLICT (merchant_id, day) DO UPDATE SET last = order_number_counters.last + EXCLUDED.last
  RETURNING last AS seq`;

/** The order's short number as people read it (`1202-007`). */
export const orderNumber = (o: Pick<OrderRow, 'id' | 'numberDay' | 'numberSeq'>): string =>
  formatOrderNumber(o.numberDay, o.numberSeq, o.id);
