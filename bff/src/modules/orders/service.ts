import { createHash, randomInt } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import {
  type CreateOrderBody,
  distanceMetres,
  fitsIn,
  formatYuan,
  MAX_ORDER_TOTAL_FEN,
  type Order,
  type OrderSummary,
  PAGES,
  type PackLine,
} from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { Db, DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { olderThan, pageOf } from '../../http/cursor';
import { AppError, conflict, fieldConflict, invalidField, notFound, violates } from '../../http/errors';
import { enqueue } from '../../jobs/outbox';
import { audit } from '../audit';
import { isApprovedMember } from '../memberships';
import { merchantRow, takesOrdersAt } from '../merchants';
import { notify } from '../notifications';
import { openPayment, type PaymentSubject, preparePayment, startRefund } from '../payments';
import { householdPlaces } from '../places';
import { productsByIds, type Reserved, reserveStock } from '../products';
import { deliveryModeStep } from './hooks';
import { orderExpireJob } from './jobs';
import { allocateOrderNumber } from './numbers';
import { orderOwn, ordersStaffSees, paymentOwn } from './policies';
import { idempotencyKeys, orderEvents, orderItems, orders } from './tables';
import { lockOrder, type OrderRow, transitionOrder, transitionOrFail } from './transition';
import { orderRow, residentView, summaries } from './views';

const requestHash = (body: CreateOrderBody) =>
  createHash('sha256')
    .update(
      JSON.stringify([
        body.merchantId,
        [...body.items]
          .sort((a, b) => a.productId.localeCompare(b.productId))
          .map((i) => [i.productId, i.quantity]),
        body.delivery,
        body.note ?? null,
      ]),
    )
    .digest('hex');

/**
 * Places an order. Everything the client sent is re-checked here against the database: the shop
 * takes orders now, offers the delivery mode and reaches the address; each product is the shop's,
 * on the shelf, within its per-order limit; prices are ours; the minimum is met. Stock is taken
 * line by line in product-id order by conditional updates, so it never goes below zero and two
 * orders never deadlock; it is taken last, so a popular product's row is locked only briefly. The Idempotency-Key row is inserted first and held until commit: a
 * concurrent retry waits on it and then gets the same order back.
 */
export async function createOrder(
  deps: Pick<AppDeps, 'db' | 'config' | 'clock'>,
  actor: Actor,
  key: string,
  body: CreateOrderBody,
): Promise<Order> {
  const { db } = deps;
  const hash = requestHash(body);
  const replayed = await db.transaction(async (tx): Promise<string> => {
    const [claimed] = await tx
      .insert(idempotencyKeys)
      .values({ userId: actor.userId, key, requestHash: hash })
      .onConflictDoNothing()
      .returning();
    if (!claimed) {
      const [seen] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.userId, actor.userId), eq(idempotencyKeys.key, key)));
      if (!seen || seen.requestHash !== hash || !seen.orderId)
        throw new AppError(
          422,
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was used for a different order',
        );
      return seen.orderId;
    }
    const order = await placeOrder(tx, deps, actor, body);
    await tx
      .update(idempotencyKeys)
      .set({ orderId: order.id })
      .where(and(eq(idempotencyKeys.userId, actor.userId), eq(idempotencyKeys.key, key)));
    return order.id;
  });
  return residentView(db, (await orderRow(db, replayed))!);
}

async function placeOrder(
  tx: DbOrTx,
  deps: Pick<AppDeps, 'config' | 'clock'>,
  actor: Actor,
  body: CreateOrderBody,
): Promise<OrderRow> {
  const { config } = deps;
  const shop = await merchantRow(tx, body.merchantId);
  if (!shop || (shop.status !== 'open' && shop.status !== 'paused'))
    throw fieldConflict('MERCHANT_UNAVAILABLE', 'No such shop is selling here', 'body.merchantId', 404);
  const now = deps.clock.now();
  if (!takesOrdersAt(shop, now))
    throw fieldConflict('SHOP_CLOSED', 'The shop is not taking orders right now', 'body.merchantId');

  let deliveryFeeFen = 0;
  let householdId: string | null = null;
  const mode = body.delivery.mode;
  if (mode === 'shop_pickup' && !shop.offersShopPickup)
    throw fieldConflict(
      'DELIVERY_UNAVAILABLE',
      'This shop does not offer pickup at the shop',
      'body.delivery.mode',
    );
  if (body.delivery.mode === 'home') {
    if (shop.homeRadiusM === null)
      throw fieldConflict(
        'DELIVERY_UNAVAILABLE',
        'This shop does not deliver to homes',
        'body.delivery.mode',
      );
    householdId = body.delivery.householdId;
    const place = (await householdPlaces(tx, [householdId])).get(householdId);
    if (!place || !(await isApprovedMember(tx, actor.userId, householdId)))
      throw invalidField('body.delivery.householdId', 'is not a household you are a verified member of');
    if (place.location && distanceMetres(place.location, shop) > shop.homeRadiusM)
      throw fieldConflict(
        'OUT_OF_RANGE',
        'This address is outside the shop’s delivery range',
        'body.delivery.householdId',
      );
    deliveryFeeFen = shop.homeFeeFen;
  }

  const found = new Map(
    (
      await productsByIds(
        tx,
        body.items.map((i) => i.productId),
      )
    ).map((p) => [p.id, p]),
  );
  let itemsFen = 0;
  body.items.forEach((item, i) => {
    const p = found.get(item.productId);
    if (!p || p.merchantId !== shop.id || !p.onShelf)
      throw fieldConflict(
        'PRODUCT_UNAVAILABLE',
        'This product is not on sale at this shop',
        `body.items.${i}.productId`,
      );
    if (p.perOrderLimit !== null && item.quantity > p.perOrderLimit)
      throw fieldConflict(
        'PER_ORDER_LIMIT',
        `At most ${p.perOrderLimit} per order`,
        `body.items.${i}.quantity`,
      );
    itemsFen += p.priceFen * item.quantity;
  });
  if (itemsFen < shop.minOrderFen)
    throw fieldConflict('BELOW_MINIMUM', `The shop’s minimum order is ${shop.minOrderFen} fen`, 'body.items');
  // Our prices, not the client's: a product priced before the caps existed is caught here too,
  // before an integer column (or a day's sum of totals) overflows.
  if (itemsFen + deliveryFeeFen > MAX_ORDER_TOTAL_FEN)
    throw fieldConflict(
      'ORDER_TOTAL_TOO_HIGH',
      `An order may come to at most ${formatYuan(MAX_ORDER_TOTAL_FEN)}`,
      'body.items',
      400,
    );

  // Modes another module runs (lockers) check what only they know, before the order exists.
  const step = mode === 'shop_pickup' || mode === 'home' ? undefined : deliveryModeStep(mode);
  if (mode !== 'shop_pickup' && mode !== 'home' && !step)
    throw fieldConflict('DELIVERY_UNAVAILABLE', 'This delivery mode is not offered', 'body.delivery.mode');
  const checked = await step?.check(tx, {
    deps,
    actor,
    shop,
    delivery: body.delivery,
    products: body.items.map((i) => found.get(i.productId)!),
  });

  const order = await insertWithPickupCode(tx, {
    userId: actor.userId,
    placedBy: actor.actorId,
    merchantId: shop.id,
    itemsFen,
    deliveryFeeFen,
    totalFen: itemsFen + deliveryFeeFen,
    deliveryMode: mode,
    householdId,
    note: body.note ?? null,
    payBy: new Date(now.getTime() + config.ORDER_PAY_TIMEOUT_SECONDS * 1000),
  });
  await tx.insert(orderItems).values(
    body.items.map((item) => {
      const p = found.get(item.productId)!;
      return {
        orderId: order.id,
        productId: p.id,
        name: p.name,
        unit: p.unit,
        priceFen: p.priceFen,
        quantity: item.quantity,
      };
    }),
  );
  await tx.insert(orderEvents).values({
    orderId: order.id,
    event: 'create',
    fromStatus: null,
    toStatus: 'created',
    actorId: actor.actorId,
  });
  await step?.record(tx, order, checked, now);
  await audit(tx, actor, 'order.created', { type: 'order', id: order.id }, { totalFen: order.totalFen });
  await enqueue(
    tx,
    orderExpireJob,
    { orderId: order.id },
    { delayMs: config.ORDER_PAY_TIMEOUT_SECONDS * 1000 },
  );
  // The shop's day counter is a hot row too: taken just before the stock, held as briefly.
  const numbered = await allocateOrderNumber(tx, order, now, config.TZ_DISPLAY);
  // Stock last: the hot product rows stay locked only from here to commit.
  const reserved: Reserved[] = [];
  const lines = body.items.map((item, index) => ({ ...item, index }));
  for (const line of [...lines].sort((a, b) => a.productId.localeCompare(b.productId))) {
    const r = await reserveStock(tx, shop.id, line.productId, line.quantity);
    if (!r)
      throw fieldConflict('STOCK_INSUFFICIENT', 'Not enough stock left', `body.items.${line.index}.quantity`);
    reserved.push(r);
  }

  for (const r of reserved) {
    // Exactly one order takes the stock across the threshold; it raises the alert.
    if (r.stock <= r.lowStockThreshold && r.stock + r.quantity > r.lowStockThreshold)
      await notify(tx, {
        userId: shop.ownerId,
        kind: 'product.low_stock',
        title: '库存预警',
        body:
          r.stock === 0 ? `「${r.name}」已售罄，请及时补货` : `「${r.name}」仅剩 ${r.stock} 件，请及时补货`,
        link: PAGES.merchantProducts,
        dedupeKey: `product.low_stock:${r.productId}:${order.id}`,
      });
  }
  return { ...order, ...numbered };
}

/** A 6-digit code unique among the shop's live orders; a rare collision retries in a savepoint. */
async function insertWithPickupCode(tx: DbOrTx, values: Omit<typeof orders.$inferInsert, 'pickupCode'>) {
  for (let attempt = 0; ; attempt++) {
    const pickupCode = String(randomInt(0, 1_000_000)).padStart(6, '0');
    try {
      return await tx.transaction(
        async (sp) =>
          (
            await sp
              .insert(orders)
              .values({ ...values, pickupCode })
              .returning()
          )[0]!,
      );
    } catch (err) {
      if (attempt < 8 && violates(err, 'orders_live_pickup_code')) continue;
      throw err;
    }
  }
}

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
  await requireAccess(db, actor, orderOwn, id);
  return residentView(db, (await orderRow(db, id))!);
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
