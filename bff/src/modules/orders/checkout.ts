import { createHash, randomInt } from 'node:crypto';
import { and, eq, type SQLWrapper, sql } from 'drizzle-orm';
import {
  type CreateOrderBody,
  distanceMetres,
  formatYuan,
  MAX_ORDER_TOTAL_FEN,
  type Order,
  PAGES,
} from 'shared';
import { uuidv7 } from 'uuidv7';
import type { Actor } from '../../access/actor';
import type { DbOrTx } from '../../db/client';
import { compiledSelect, compiledSql } from '../../db/compiled';
import type { AppDeps } from '../../deps';
import {
  AppError,
  fieldConflict,
  invalidField,
  isDeadlock,
  statementFailure,
  violates,
} from '../../http/errors';
import { isApprovedMember } from '../memberships';
import { type MerchantRow, merchantFromJson, merchantJson, takesOrdersAt } from '../merchants';
import { notify } from '../notifications';
import { type HouseholdPlace, householdPlaces } from '../places';
import { crossedLowStock, type ProductRow, productsFromJson, productsJson, stockLines } from '../products';
import { deliveryModeStep, type NewOrder, viewPart } from './hooks';
import { orderNumberDay } from './numbers';
import { type WriteValues, type Written, writeOrder } from './order-write';
import { idempotencyKeys } from './tables';
import type { OrderRow } from './transition';
import { buildViews, orderRow, residentView, type ViewParts } from './views';

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
 * on the shelf, within its per-order limit; prices are ours; the minimum is met. Stock is taken by
 * a conditional update, so it never goes below zero.
 *
 * Throughput on a popular product is one over the time its row stays locked, and what this
 * process spends per order (statements, round trips, socket writes) is what runs out first. So
 * an order is two round trips: the reads (sent together), then one statement that writes all of
 * it (the Idempotency-Key's claim, the shop's day counter, the order, its lines and first timeline
 * entry, the audit entry, the expiry job's outbox row, the delivery mode's record, the stock). A
 * statement is a transaction of its own: it commits whole, or it fails itself (linli_fail) when
 * the key was claimed meanwhile or a line found too little stock, and leaves nothing. The hot rows
 * are locked for that one statement and its commit only, and orders of a shop that reach their
 * write while another of its writes is in flight share the next statement (`writeOrder`).
 *
 * Two kinds of order still run in a transaction around the same statement: locker orders (their
 * check locks the locker bank until the order is written) and the order that takes a product
 * across its low-stock threshold (it raises the merchant's alert beside the order, once).
 *
 * A replay (a key seen before, same request) answers the order it made; the same key with another
 * request is refused. The answer is built from what was written, not read back.
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
      // Read before the write: the order's pay-by then never falls after its expiry job's due
      // time, which the outbox counts from the writing statement's start.
      const now = deps.clock.now();
      const pooled = !careful && body.delivery.mode !== 'locker';
      const input: Input = { deps, actor, key, hash, body, careful, pooled, now };
      const outcome = pooled
        ? await readAndPlace(db, input)
        : await db.transaction((tx) => readAndPlace(tx, input));
      if (typeof outcome === 'string') return residentView(db, (await orderRow(db, outcome))!);
      const lockers = await viewPart('locker', db, [outcome.row], 'resident');
      const [view] = buildViews([outcome.row], 'resident', { ...outcome.parts, lockers });
      const { customer: _customer, ...order } = view!;
      return order;
    } catch (err) {
      const failed = statementFailure(err)?.reason;
      if (failed === 'replay') {
        // The same key committed between our reads and our write (a retry sent while the first
        // try was still running): it waited for that commit, so the key's row is there now.
        const [seen] = await keyRows(db, actor, key);
        return residentView(db, (await orderRow(db, replayOf(seen, hash)))!);
      }
      if (failed === 'threshold' && !careful) {
        careful = true;
        continue;
      }
      // A pickup code another live order of the shop holds (rare), or a deadlock between two
      // multi-line orders of shared products that PostgreSQL broke: nothing was written, again.
      if (attempt < 8 && (violates(err, 'orders_live_pickup_code') || isDeadlock(err))) continue;
      throw err;
    }
  }
}

interface Input {
  deps: Pick<AppDeps, 'config' | 'clock'>;
  actor: Actor;
  key: string;
  hash: string;
  body: CreateOrderBody;
  /** Wait for the stock step's answer and raise the low-stock alert (in a transaction). */
  careful: boolean;
  /** Run on the pool, not in a transaction: the write may be combined with the shop's others. */
  pooled: boolean;
  now: Date;
}

/** A placed order and what its view needs besides the locker part. */
interface Placed {
  row: OrderRow;
  parts: Omit<ViewParts, 'lockers'>;
}

const keyRows = (q: DbOrTx, actor: Actor, key: string) => keyRow(q, { userId: actor.userId, key });

const keyRow = compiledSelect<{ userId: string; key: string }, ReturnType<typeof selectKey>>((db, p) =>
  selectKey(db, p('userId'), p('key')),
);
const selectKey = (db: DbOrTx, userId: SQLWrapper, key: SQLWrapper) =>
  db
    .select({ requestHash: idempotencyKeys.requestHash, orderId: idempotencyKeys.orderId })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));

/** The order a seen key made, if this is the same request; else the key is being reused. */
function replayOf(seen: { requestHash: string; orderId: string | null } | undefined, hash: string): string {
  if (!seen || seen.requestHash !== hash || !seen.orderId)
    throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different order');
  return seen.orderId;
}

/**
 * The key, the shop and the products, read as one statement (a compiled one: its text is built
 * once). For a home delivery the household's place and the caller's membership are read beside it.
 */
const checkoutReads = compiledSql<
  { userId: string; key: string; merchantId: string; productIds: string[] },
  { seen: unknown; shop: unknown; products: unknown }
>(
  (db, p) => sql`SELECT
    (SELECT json_build_object('requestHash', s.request_hash, 'orderId', s.order_id)
      FROM ${selectKey(db, p('userId'), p('key'))} AS s) AS seen,
    ${merchantJson(p('merchantId'))} AS shop,
    ${productsJson(p('productIds'))} AS products`,
);

const parsedJson = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

/** The key's order id when this is a replay; else the new order. */
async function readAndPlace(q: DbOrTx, input: Input): Promise<string | Placed> {
  const { actor, key, body } = input;
  const home = body.delivery.mode === 'home' ? body.delivery.householdId : null;
  // One round trip: sent without waiting in between (pipelined on a transaction's connection).
  const [[read], place, member] = await Promise.all([
    checkoutReads(q, {
      userId: actor.userId,
      key,
      merchantId: body.merchantId,
      productIds: body.items.map((i) => i.productId),
    }),
    home ? householdPlaces(q, [home]).then((m) => m.get(home)) : undefined,
    home ? isApprovedMember(q, actor.userId, home) : false,
  ]);
  const seen = parsedJson(read!.seen) as { requestHash: string; orderId: string | null } | null;
  if (seen) return replayOf(seen, input.hash);
  const products = productsFromJson(read!.products);
  return placeOrder(q, input, {
    shop: merchantFromJson(read!.shop),
    products: new Map(products.map((p) => [p.id, p])),
    place,
    member,
  });
}

async function placeOrder(
  q: DbOrTx,
  input: Input,
  read: {
    shop: MerchantRow | undefined;
    products: Map<string, ProductRow>;
    place: HouseholdPlace | undefined;
    member: boolean;
  },
): Promise<Placed> {
  const { deps, actor, body, now } = input;
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
  const checked = await step?.check(q, {
    deps,
    actor,
    shop,
    delivery: body.delivery,
    products: body.items.map((i) => found.get(i.productId)!),
  });

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

  const numberDay = orderNumberDay(now, config.TZ_DISPLAY);
  const stock = stockLines(items);
  const values: WriteValues = {
    orderId: order.id,
    userId: order.userId,
    placedBy: order.placedBy,
    merchantId: order.merchantId,
    status: order.status,
    itemsFen: order.itemsFen,
    deliveryFeeFen: order.deliveryFeeFen,
    totalFen: order.totalFen,
    deliveryMode: order.deliveryMode,
    householdId: order.householdId,
    note: order.note,
    pickupCode: order.pickupCode,
    payBy: order.payBy.toISOString(),
    numberDay,
    key: input.key,
    hash: input.hash,
    lineCount: items.length,
    lineProductIds: items.map((i) => i.productId),
    lineNames: items.map((i) => i.name),
    lineUnits: items.map((i) => i.unit),
    linePrices: items.map((i) => i.priceFen),
    lineQuantities: items.map((i) => i.quantity),
    stockProductIds: stock.productIds,
    stockQuantities: stock.quantities,
    eventId: event.id,
    actorId: actor.actorId,
    onBehalfOf: actor.onBehalfOf,
    careful: input.careful,
    auditData: { totalFen: order.totalFen },
    auditId: uuidv7(),
    outboxId: uuidv7(),
    expirePayload: { orderId: order.id },
    expireDelayMs: Math.max(0, Math.round(config.ORDER_PAY_TIMEOUT_SECONDS * 1000)),
  };
  let written: Written;
  try {
    written = await writeOrder(q, values, step ? [step.record(q, order, checked, now)] : [], input.pooled);
  } catch (err) {
    const failed = statementFailure(err);
    if (failed?.reason === 'short') {
      // The first line in the order the stock is taken in that found too little.
      const taken = new Set(failed.detail.split(',').filter(Boolean));
      const short = stock.productIds.find((id) => !taken.has(id));
      const index = body.items.findIndex((i) => i.productId === short);
      throw fieldConflict(
        'STOCK_INSUFFICIENT',
        'Not enough stock left',
        `body.items.${Math.max(index, 0)}.quantity`,
      );
    }
    throw err;
  }

  // Exactly one order takes a product across its threshold, and only the careful way: it raises
  // the alert in its transaction.
  for (const r of written.taken.filter(crossedLowStock))
    await notify(q, {
      userId: shop.ownerId,
      kind: 'product.low_stock',
      title: '库存预警',
      body: r.stock === 0 ? `「${r.name}」已售罄，请及时补货` : `「${r.name}」仅剩 ${r.stock} 件，请及时补货`,
      link: PAGES.merchantProducts,
      dedupeKey: `product.low_stock:${r.productId}:${order.id}`,
    });

  const row: OrderRow = { ...order, ...written.row, numberDay };
  return {
    row,
    parts: {
      items: [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      events: [{ ...event, createdAt: written.row.createdAt }],
      pays: [],
      refundBy: new Map(),
      shops: new Map([[shop.id, shop]]),
      people: new Map(),
      places: householdId && place ? new Map([[householdId, place]]) : new Map(),
      moneyBack: new Map(),
    },
  };
}
