import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { localClock, type MerchantOrder } from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { Db, DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { olderThan, pageOf } from '../../http/cursor';
import { AppError, conflict, fieldConflict } from '../../http/errors';
import {
  lockShopOf,
  pickupLockedUntil,
  recordWrongPickupCode,
  resetWrongPickupCodes,
  shopIdOf,
  shopOf,
} from '../merchants';
import { ordersWithRefund } from './hooks';
import { orderManage, shopMaySee } from './policies';
import { orderEvents, orderItems, orders } from './tables';
import {
  lockOrder,
  type OrderEventName,
  type OrderRow,
  recordOrderNote,
  transitionOrFail,
} from './transition';
import { merchantView, orderRow, orderViews } from './views';

/** The states a merchant has work in: badges on the tabs. */
const OPEN_STATES = ['paid', 'accepted', 'packed'] as const;

export async function merchantOrders(
  db: Db,
  actor: Actor,
  q: {
    status?: OrderRow['status'] | OrderRow['status'][];
    refund?: 'requested' | 'any';
    cursor?: string;
    limit: number;
  },
) {
  const refunded = q.refund ? ordersWithRefund(db, { requestedOnly: q.refund === 'requested' }) : undefined;
  const withRefund = q.refund ? (refunded ? inArray(orders.id, refunded) : sql`false`) : undefined;
  // The shop is a subquery of each read, and its check (no shop is a 404) runs beside them: the
  // page, the tabs' counts and the refund count go out together.
  const mine = and(inArray(orders.merchantId, shopIdOf(db, actor)), shopMaySee());
  const requested = ordersWithRefund(db, { requestedOnly: true });
  const [, rows, counted, [refunding]] = await Promise.all([
    shopOf(db, actor),
    db
      .select()
      .from(orders)
      .where(
        and(
          mine,
          q.status ? inArray(orders.status, [q.status].flat()) : undefined,
          withRefund,
          olderThan(orders, q.cursor),
        ),
      )
      .orderBy(desc(orders.createdAt), desc(orders.id))
      .limit(q.limit + 1),
    db
      .select({ status: orders.status, n: sql<number>`count(*)::int` })
      .from(orders)
      .where(and(mine, inArray(orders.status, OPEN_STATES)))
      .groupBy(orders.status),
    requested
      ? db
          .select({ n: sql<number>`count(*)::int` })
          .from(orders)
          .where(and(mine, inArray(orders.id, requested)))
      : [{ n: 0 }],
  ]);
  const { page, nextCursor } = pageOf(rows, q.limit);
  const counts: Record<string, number> = Object.fromEntries(OPEN_STATES.map((s) => [s, 0]));
  for (const c of counted) counts[c.status] = c.n;
  counts.refund_requested = refunding?.n ?? 0;
  return { items: await orderViews(db, page, 'merchant'), nextCursor, counts };
}

export async function merchantOrder(db: Db, actor: Actor, id: string): Promise<MerchantOrder> {
  // The row is read alongside the access check, not after it; a refusal throws before it is used.
  const [, row] = await Promise.all([requireAccess(db, actor, orderManage, id), orderRow(db, id)]);
  return merchantView(db, row!);
}

/** Accept, reject (stock back, money back) or mark packed: one transition each. */
export async function actOnOrder(
  db: Db,
  actor: Actor,
  id: string,
  event: Extract<OrderEventName, 'accept' | 'reject' | 'pack'>,
  reason?: string,
): Promise<MerchantOrder> {
  await requireAccess(db, actor, orderManage, id);
  await db.transaction(async (tx) => {
    if (event === 'pack' && (await packedInBatch(tx, actor, id))) return;
    await transitionOrFail(tx, {
      orderId: id,
      event,
      actor,
      note: reason,
      ...(event === 'reject' && { set: { cancelReason: 'merchant' as const } }),
    });
  });
  return merchantView(db, (await orderRow(db, id))!);
}

/**
 * A locker order the cut-off put in a batch while the shop was still packing: the courier collects
 * it from the shop, so packing it is a fact on its timeline (what the resident and the courier go
 * by), not a move of its state. Once only; false when the order is not such an order.
 */
async function packedInBatch(tx: DbOrTx, actor: Actor, id: string): Promise<boolean> {
  const order = await lockOrder(tx, id);
  if (order?.status !== 'in_batch') return false;
  const [seen] = await tx
    .select({ id: orderEvents.id })
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, id), eq(orderEvents.event, 'pack')));
  if (seen) throw conflict('ORDER_STATE_CHANGED', 'This order is already packed; refresh');
  await recordOrderNote(tx, order, 'pack', actor);
  return true;
}

/**
 * Hand-over at the shop or the door: the resident's code finds the packed order. Codes are six
 * digits, so the counter limits guesses as the locker panel does: the shop row is locked for the
 * check, wrong codes in a row are counted on it and lock code checks for a while (see
 * recordWrongPickupCode); only a hand-over resets the count.
 */
export async function verifyPickup(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  actor: Actor,
  code: string,
): Promise<MerchantOrder> {
  const { db, clock } = deps;
  const outcome: { id?: string; lockedUntil?: Date; left?: number } = await db.transaction(async (tx) => {
    const shop = await lockShopOf(tx, actor);
    const now = clock.now();
    const lockedUntil = pickupLockedUntil(shop, now);
    if (lockedUntil) return { lockedUntil };
    const [order] = await tx
      .select()
      .from(orders)
      .where(
        and(
          eq(orders.merchantId, shop.id),
          eq(orders.pickupCode, code),
          inArray(orders.status, ['accepted', 'packed']),
        ),
      )
      .for('update');
    if (!order) {
      // Committed before the error is thrown: a rolled-back count would count nothing.
      const wrong = await recordWrongPickupCode(tx, actor, shop, now);
      return wrong.lockedUntil ? { lockedUntil: wrong.lockedUntil } : { left: wrong.left };
    }
    if (order.status !== 'packed')
      throw fieldConflict('ORDER_NOT_PACKED', 'This order is not packed yet', 'body.code');
    if (order.deliveryMode === 'locker')
      throw fieldConflict('PICKUP_AT_LOCKER', 'This order is collected at the locker', 'body.code');
    await transitionOrFail(tx, { orderId: order.id, event: 'handOver', actor });
    await recordOrderNote(tx, { ...order, status: 'picked_up' }, 'codeVerified', actor);
    await resetWrongPickupCodes(tx, shop);
    return { id: order.id };
  });
  if (outcome.lockedUntil) {
    const message = `Too many wrong codes; code checks are locked until ${outcome.lockedUntil.toISOString()}`;
    throw new AppError(423, 'PICKUP_CODE_LOCKED', message, [{ path: 'body.code', message }]);
  }
  if (outcome.left !== undefined)
    throw fieldConflict(
      'PICKUP_CODE_INVALID',
      `No order is waiting with this code; ${outcome.left} tries left`,
      'body.code',
      404,
    );
  return merchantView(db, (await orderRow(db, outcome.id!))!);
}

/**
 * Sales computed from the orders themselves (never from counters that drift): orders paid on a
 * local day and not cancelled or refunded since. One query for the 14-day series, one for the top
 * products of the day. Sums stay bigint in SQL: an int sum overflows at 2^31 fen (¥21M), which a
 * few hundred orders at the cap reach. postgres.js hands bigint over as a string; Number is exact
 * up to 2^53 fen, far past any shop's fortnight.
 */
export async function merchantStats(
  deps: Pick<AppDeps, 'db' | 'config' | 'clock'>,
  actor: Actor,
  date?: string,
) {
  const { db, config } = deps;
  const tz = config.TZ_DISPLAY;
  const day = date ?? localClock(deps.clock.now(), tz).date;
  const localDay = sql`(${orders.paidAt} AT TIME ZONE ${tz})::date`;
  const counted = and(
    inArray(orders.merchantId, shopIdOf(db, actor)),
    shopMaySee(),
    sql`${orders.status} NOT IN ('cancelled', 'refunded')`,
    sql`${orders.paidAt} >= ((${day}::date - 13)::timestamp AT TIME ZONE ${tz})`,
    sql`${orders.paidAt} < ((${day}::date + 1)::timestamp AT TIME ZONE ${tz})`,
  );
  // The two sums and the shop's check (no shop is a 404) go out together.
  const [, perDay, top] = await Promise.all([
    shopOf(db, actor),
    db
      .select({
        date: sql<string>`to_char(${localDay}, 'YYYY-MM-DD')`,
        orderCount: sql<number>`count(*)::int`,
        revenueFen: sql`coalesce(sum(${orders.totalFen}), 0)`.mapWith(Number),
      })
      .from(orders)
      .where(counted)
      // By position: the zone is a bind parameter, so Postgres cannot match the expression itself.
      .groupBy(sql`1`),
    db
      .select({
        productId: orderItems.productId,
        name: sql<string>`min(${orderItems.name})`,
        quantity: sql`sum(${orderItems.quantity})`.mapWith(Number),
        revenueFen: sql`sum(${orderItems.quantity}::bigint * ${orderItems.priceFen})`.mapWith(Number),
      })
      .from(orderItems)
      .innerJoin(orders, eq(orders.id, orderItems.orderId))
      .where(and(counted, sql`${localDay} = ${day}::date`))
      .groupBy(orderItems.productId)
      .orderBy(sql`sum(${orderItems.quantity}) DESC`)
      .limit(5),
  ]);
  const daily = Array.from({ length: 14 }, (_, i) => {
    const d = new Date(`${day}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - 13 + i);
    const iso = d.toISOString().slice(0, 10);
    const found = perDay.find((p) => p.date === iso);
    return { date: iso, orderCount: found?.orderCount ?? 0, revenueFen: found?.revenueFen ?? 0 };
  });
  const today = daily[13]!;
  return { ...today, topProducts: top, daily };
}
