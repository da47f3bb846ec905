import { createHash, randomInt } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import {
  type CreateOrderBody,
  distanceMetres,
  formatYuan,
  MAX_ORDER_TOTAL_FEN,
  type Order,
  type OrderSummary,
  PAGES,
} from 'shared';
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { Db, Tx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { olderThan, pageOf } from '../../http/cursor';
import { AppError, conflict, fieldConflict, invalidField, violates } from '../../http/errors';
import { enqueue } from '../../jobs/outbox';
import { audit } from '../audit';
import { isApprovedMember } from '../memberships';
import { type MerchantRow, merchantRow, takesOrdersAt } from '../merchants';
import { notify } from '../notifications';
import { openPayment, type PaymentSubject, preparePayment, startRefund } from '../payments';
import { type HouseholdPlace, householdPlaces } from '../places';
import { type ProductRow, productsByIds, type Reserved, reserveStock, takeStockOrAbort } from '../products';
import { deliveryModeStep, type NewOrder, viewPart } from './hooks';
import { orderExpireJob } from './jobs';
import { allocateOrderNumber } from './numbers';
import { orderOwn, ordersStaffSees, paymentOwn } from './policies';
import { idempotencyKeys, type orderEvents, type orderItems, orders } from './tables';
import { lockOrder, type OrderRow, transitionOrder, transitionOrFail } from './transition';
import { buildViews, orderRow, residentView, summaries, type ViewParts } from './views';

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
 * orders never deadlock.
 *
 * Throughput on a popular product is one over the time its row stays locked, and every round
 * trip inside that window also waits for this process's event loop, busy with everyone else's
 * requests. So an order is four round trips on its connection (BEGIN; the key's claim with the
 * reads; every write; COMMIT) and the hot rows (the shop's day counter, then the stock) are the
 * last statements of the pipelined write batch: they are locked from there to COMMIT only. The
 * Idempotency-Key row is claimed first and held until commit: a concurrent retry waits on it and
 * then gets the same order back. The answer is built from what was written, not read back.
 */
export async function createOrder(
  deps: Pick<AppDeps, 'db' | 'config' | 'clock'>,
  actor: Actor,
  key: string,
  body: CreateOrderBody,
): Promise<Order> {
  const { db } = deps;
  const hash = requestHash(body);
  let careful = false;
  for (let attempt = 0; ; attempt++) {
    try {
      // Read before BEGIN: the order's pay-by then never falls after its expiry job's due time,
      // which the outbox counts from the transaction's start (an earlier job would only queue
      // itself again, but a second row for one timeout).
      const now = deps.clock.now();
      const outcome = await db.transaction((tx) =>
        claimAndPlace(tx, deps, actor, key, hash, body, careful, now),
      );
      if (typeof outcome === 'string') return residentView(db, (await orderRow(db, outcome))!);
      const placed = await outcome.placed;
      const lockers = await viewPart('locker', db, [placed.row], 'resident');
      const [view] = buildViews([placed.row], 'resident', { ...placed.parts, lockers });
      const { customer: _customer, ...order } = view!;
      return order;
    } catch (err) {
      if (err instanceof CrossesLowStock && !careful) {
        careful = true;
        continue;
      }
      // A pickup code another live order of the shop holds: rare, so the whole attempt (key
      // claim included, it was rolled back) is retried instead of a savepoint on every order.
      if (attempt < 8 && violates(err, 'orders_live_pickup_code')) continue;
      throw err;
    }
  }
}

/** A placed order and what its view needs besides the locker part. */
interface Placed {
  row: OrderRow;
  parts: Omit<ViewParts, 'lockers'>;
}

/** This order would take a product's stock across its low-stock threshold: place it carefully. */
class CrossesLowStock extends Error {}

/** The key's order id when this is a replay; else the new order and the parts of its view. */
async function claimAndPlace(
  tx: Tx,
  deps: Pick<AppDeps, 'config' | 'clock'>,
  actor: Actor,
  key: string,
  hash: string,
  body: CreateOrderBody,
  careful: boolean,
  now: Date,
): Promise<string | { placed: Promise<Placed> }> {
  const home = body.delivery.mode === 'home' ? body.delivery.householdId : null;
  // One round trip: the claim, then the reads it guards, sent without waiting in between. The
  // reads are wasted on a replay (rare); their answers are only acted on once the key is ours.
  const [claimed, shop, products, place, member] = await Promise.all([
    tx
      .insert(idempotencyKeys)
      .values({ userId: actor.userId, key, requestHash: hash })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key })
      .execute(),
    merchantRow(tx, body.merchantId),
    productsByIds(
      tx,
      body.items.map((i) => i.productId),
    ),
    home ? householdPlaces(tx, [home]).then((m) => m.get(home)) : undefined,
    home ? isApprovedMember(tx, actor.userId, home) : false,
  ]);
  if (claimed.length === 0) {
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
  return placeOrder(
    tx,
    deps,
    actor,
    key,
    body,
    careful,
    {
      shop,
      products: new Map(products.map((p) => [p.id, p])),
      place,
      member,
    },
    now,
  );
}

async function placeOrder(
  tx: Tx,
  deps: Pick<AppDeps, 'config' | 'clock'>,
  actor: Actor,
  key: string,
  body: CreateOrderBody,
  careful: boolean,
  read: {
    shop: MerchantRow | undefined;
    products: Map<string, ProductRow>;
    place: HouseholdPlace | undefined;
    member: boolean;
  },
  now: Date,
): Promise<{ placed: Promise<Placed> }> {
  const { config } = deps;
  const { shop, products: found, place } = read;
  if (!shop || (shop.status !== 'open' && shop.status !== 'paused'))
    throw fieldConflict('MERCHANT_UNAVAILABLE', 'No such shop is selling here', 'body.merchantId', 404);
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
    if (!place || !read.member)
      throw invalidField('body.delivery.householdId', 'is not a household you are a verified member of');
    if (place.location && distanceMetres(place.location, shop) > shop.homeRadiusM)
      throw fieldConflict(
        'OUT_OF_RANGE',
        'This address is outside the shop’s delivery range',
        'body.delivery.householdId',
      );
    deliveryFeeFen = shop.homeFeeFen;
  }

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

  // Ids are made here, so every write can be sent at once: each refers to rows sent before it.
  const order: NewOrder = {
    id: uuidv7(),
    userId: actor.userId,
    placedBy: actor.actorId,
    merchantId: shop.id,
    status: 'created',
    itemsFen,
    deliveryFeeFen,
    totalFen: itemsFen + deliveryFeeFen,
    deliveryMode: mode,
    householdId,
    note: body.note ?? null,
    pickupCode: String(randomInt(0, 1_000_000)).padStart(6, '0'),
    cancelReason: null,
    payBy: new Date(now.getTime() + config.ORDER_PAY_TIMEOUT_SECONDS * 1000),
    paidAt: null,
  };
  const items = body.items.map((item) => {
    const p = found.get(item.productId)!;
    return {
      orderId: order.id,
      productId: p.id,
      name: p.name,
      unit: p.unit,
      priceFen: p.priceFen,
      quantity: item.quantity,
    };
  });
  const event = {
    id: uuidv7(),
    orderId: order.id,
    event: 'create',
    fromStatus: null,
    toStatus: 'created' as const,
    actorId: actor.actorId,
    note: null,
  };
  const lines = body.items
    .map((item, index) => ({ ...item, index }))
    .sort((a, b) => a.productId.localeCompare(b.productId));

  // One pipelined batch, executed by PostgreSQL in the order sent (postgres.js sends a
  // transaction's queries on its one connection as they are issued; each call below issues its
  // statement before returning, so each finds the rows sent before it). The hot rows come last.
  const sent = [
    insertOrder(tx, order, items, event, actor.userId, key),
    step?.record(tx, order, checked, now),
    audit(tx, actor, 'order.created', { type: 'order', id: order.id }, { totalFen: order.totalFen }),
    enqueue(tx, orderExpireJob, { orderId: order.id }, { delayMs: config.ORDER_PAY_TIMEOUT_SECONDS * 1000 }),
    allocateOrderNumber(tx, order, now, config.TZ_DISPLAY),
  ] as const;
  const stock = lines.map((line) =>
    careful
      ? reserveStock(tx, shop.id, line.productId, line.quantity)
      : takeStockOrAbort(tx, shop.id, line.productId, line.quantity),
  );
  const settled = Promise.allSettled([...sent, ...stock]);

  const finish = (results: PromiseSettledResult<unknown>[]) => {
    // Statements run in the order sent, and after a failure the rest fail as "transaction
    // aborted": the first thing that went wrong, in that order, is the cause.
    for (const [i, r] of results.entries()) {
      if (r.status === 'rejected') throw r.reason;
      const line = lines[i - sent.length];
      if (line && (r.value === null || r.value === 'short'))
        throw fieldConflict(
          'STOCK_INSUFFICIENT',
          'Not enough stock left',
          `body.items.${line.index}.quantity`,
        );
      if (line && r.value === 'threshold') throw new CrossesLowStock();
    }
    const value = <T>(i: number) => (results[i] as PromiseFulfilledResult<T>).value;
    const written = value<Awaited<(typeof sent)[0]>>(0);
    const row: OrderRow = { ...order, ...written, ...value<Awaited<(typeof sent)[4]>>(4) };
    const parts: Omit<ViewParts, 'lockers'> = {
      items: [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      events: [{ ...event, createdAt: written.createdAt }],
      pays: [],
      refundBy: new Map(),
      shops: new Map([[shop.id, shop]]),
      people: new Map(),
      places: householdId && place ? new Map([[householdId, place]]) : new Map(),
      moneyBack: new Map(),
    };
    return {
      row,
      parts,
      reserved: results.slice(sent.length).map((r) => (r as PromiseFulfilledResult<unknown>).value),
    };
  };

  if (!careful) {
    // The COMMIT goes out right behind the batch, without waiting for its answers: while the hot
    // rows are locked, nothing waits for this process's event loop. The stock step therefore
    // fails rather than reports (see takeStockOrAbort), and a failure turns the COMMIT into a
    // rollback. Every statement above is handed to the connection within microtasks, so after
    // one setImmediate postgres.js is sure to queue its COMMIT behind all of them (and mostly in
    // the same socket write: it flushes its buffer on setImmediate too, or once it passes 1 KB).
    await new Promise((resolve) => setImmediate(resolve));
    const placed = settled.then(finish);
    // Known only after the COMMIT's answer; the caller awaits it then.
    placed.catch(() => {});
    return { placed };
  }
  const done = finish(await settled);
  for (const taken of done.reserved as (Reserved | null)[]) {
    // Exactly one order takes the stock across the threshold; it raises the alert (rare, so its
    // round trip inside the hot window costs little).
    const r = taken!;
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
  return { placed: Promise.resolve(done) };
}

/**
 * The order, its lines, its first timeline entry and the key's link to it in one statement (all
 * tables of this module); foreign keys are checked at the statement's end, when all rows exist.
 */
async function insertOrder(
  tx: Tx,
  o: NewOrder,
  items: (typeof orderItems.$inferInsert)[],
  e: typeof orderEvents.$inferInsert,
  userId: string,
  key: string,
): Promise<{ createdAt: Date; updatedAt: Date }> {
  const lines = sql.join(
    items.map((i) => sql`(${i.orderId}, ${i.productId}, ${i.name}, ${i.unit}, ${i.priceFen}, ${i.quantity})`),
    sql`, `,
  );
  const [row] = (await tx.execute(sql`
    WITH o AS (
      INSERT INTO orders (id, user_id, placed_by, merchant_id, status, items_fen, delivery_fee_fen,
        total_fen, delivery_mode, household_id, note, pickup_code, pay_by)
      VALUES (${o.id}, ${o.userId}, ${o.placedBy}, ${o.merchantId}, ${o.status}, ${o.itemsFen},
        ${o.deliveryFeeFen}, ${o.totalFen}, ${o.deliveryMode}, ${o.householdId}, ${o.note},
        ${o.pickupCode}, ${o.payBy.toISOString()})
      RETURNING created_at, updated_at),
    i AS (
      INSERT INTO order_items (order_id, product_id, name, unit, price_fen, quantity) VALUES ${lines}),
    e AS (
      INSERT INTO order_events (id, order_id, event, from_status, to_status, actor_id)
      VALUES (${e.id}, ${e.orderId}, ${e.event}, ${e.fromStatus}, ${e.toStatus}, ${e.actorId})),
    k AS (
      UPDATE idempotency_keys SET order_id = ${o.id} WHERE user_id = ${userId} AND key = ${key})
    SELECT created_at, updated_at FROM o`)) as unknown as { created_at: string; updated_at: string }[];
  return { createdAt: new Date(row!.created_at), updatedAt: new Date(row!.updated_at) };
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
