import { createHash, randomInt } from 'node:crypto';
import { and, eq, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
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
import { type Bound, boundPlaceholders, boundValues, compiledSelect, compiledSql } from '../../db/compiled';
import type { AppDeps } from '../../deps';
import {
  AppError,
  fieldConflict,
  invalidField,
  isDeadlock,
  statementFailure,
  violates,
} from '../../http/errors';
import { outboxEntry } from '../../jobs/outbox';
import { auditEntry } from '../audit';
import { isApprovedMember } from '../memberships';
import { type MerchantRow, merchantFromJson, merchantJson, takesOrdersAt } from '../merchants';
import { notify } from '../notifications';
import { type HouseholdPlace, householdPlaces } from '../places';
import {
  crossedLowStock,
  type ProductRow,
  productsFromJson,
  productsJson,
  type Reserved,
  stockLines,
  takeStockStatement,
} from '../products';
import { deliveryModeStep, type NewOrder, viewPart } from './hooks';
import { orderExpireJob } from './jobs';
import { nextNumberStatement, orderNumberDay } from './numbers';
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
 * are locked for that one statement and its commit only.
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
      const input: Input = { deps, actor, key, hash, body, careful, now };
      const outcome =
        careful || body.delivery.mode === 'locker'
          ? await db.transaction((tx) => readAndPlace(tx, input))
          : await readAndPlace(db, input);
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
    written = await writeOrder(q, values, step ? [step.record(q, order, checked, now)] : []);
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

interface Written {
  row: { createdAt: Date; updatedAt: Date; numberSeq: number };
  /** The stock each line took (only read back the careful way). */
  taken: Reserved[];
}

/** Everything an order's write binds: the same names in the compiled statement and the built one. */
interface WriteValues extends Record<string, unknown> {
  orderId: string;
  userId: string;
  placedBy: string;
  merchantId: string;
  status: NewOrder['status'];
  itemsFen: number;
  deliveryFeeFen: number;
  totalFen: number;
  deliveryMode: NewOrder['deliveryMode'];
  householdId: string | null;
  note: string | null;
  pickupCode: string;
  payBy: string;
  numberDay: string;
  key: string;
  hash: string;
  /** The lines as written (the order's own line order). */
  lineCount: number;
  lineProductIds: string[];
  lineNames: string[];
  lineUnits: string[];
  linePrices: number[];
  lineQuantities: number[];
  /** The lines as the stock step takes them (product-id order). */
  stockProductIds: string[];
  stockQuantities: number[];
  eventId: string;
  actorId: string;
  onBehalfOf: string | null;
  /** Wait for the stock step's answer (and so raise the low-stock alert) instead of failing. */
  careful: boolean;
  auditData: Record<string, unknown>;
  auditId: string;
  outboxId: string;
  expirePayload: { orderId: string };
  expireDelayMs: number;
}

interface WriteRow {
  created_at: string;
  updated_at: string;
  number_seq: number;
  taken: string | TakenRow[] | null;
}

/**
 * The whole order in one statement: the key's claim (with its link to the order), the shop's day
 * counter, the order with its number, its lines, its first timeline entry, its audit entry, its
 * expiry job's outbox row, what a delivery mode's step records (`extra`), and the stock. Foreign
 * keys between them are checked at the statement's end, when all rows exist. It fails itself (and
 * so writes nothing) when the key was already claimed ('replay'; the claim waits for a concurrent
 * claim's commit), when a line found too little stock ('short', with the product ids that did find
 * theirs), and, unless careful, when a line would cross its product's low-stock threshold
 * ('threshold').
 *
 * Every value is bound (lines as arrays), so its text does not depend on the order: without a
 * step it is built once, with placeholders, and only bound afterwards. Building it anew on every
 * order was a tenth of checkout's CPU. A step's record carries its own values, so an order with
 * one (a locker order) is built each time from the same definition.
 */
function orderStatement(q: DbOrTx, v: Bound<WriteValues>, extra: Returning[]): SQL {
  const alongside = [
    auditEntry(
      q,
      { actorId: v.actorId, onBehalfOf: v.onBehalfOf },
      'order.created',
      { type: 'order', id: v.orderId },
      v.auditData,
      v.auditId,
    ),
    outboxEntry(q, orderExpireJob, v.expirePayload, { delayMs: v.expireDelayMs, id: v.outboxId }),
    ...extra,
  ].map((s, n) => ({ name: sql.raw(`x${n}`), statement: s.returning() }));
  // Every CTE is read by the select at the end, in the order they are meant to run: a data-modifying
  // CTE runs when it is first read (one nobody reads runs after the whole select). The rows every
  // order of the shop queues on (the stock, then the day counter) come last, so they stay locked
  // for the order row, the foreign-key checks and the commit only, not for the rest of the write.
  return sql`
    WITH k AS (
      INSERT INTO idempotency_keys (user_id, key, request_hash, order_id)
      VALUES (${v.userId}, ${v.key}, ${v.hash}, ${v.orderId})
      ON CONFLICT DO NOTHING RETURNING order_id),
    i AS (
      INSERT INTO order_items (order_id, product_id, name, unit, price_fen, quantity)
      SELECT ${v.orderId}::uuid, l.* FROM unnest(${v.lineProductIds}::uuid[], ${v.lineNames}::text[],
        ${v.lineUnits}::text[], ${v.linePrices}::int[], ${v.lineQuantities}::int[]) AS l
      RETURNING product_id),
    e AS (
      INSERT INTO order_events (id, order_id, event, from_status, to_status, actor_id)
      VALUES (${v.eventId}, ${v.orderId}, 'create', NULL, ${v.status}, ${v.actorId})
      RETURNING id)
    ${sql.join(alongside.map((a) => sql`, ${a.name} AS ${a.statement}`))},
    t AS (${takeStockStatement(v.merchantId, { productIds: v.stockProductIds, quantities: v.stockQuantities })}),
    n AS (${nextNumberStatement(v.merchantId, v.numberDay)}),
    o AS (
      INSERT INTO orders (id, user_id, placed_by, merchant_id, status, items_fen, delivery_fee_fen,
        total_fen, delivery_mode, household_id, note, pickup_code, pay_by, number_day, number_seq)
      VALUES (${v.orderId}, ${v.userId}, ${v.placedBy}, ${v.merchantId}, ${v.status}, ${v.itemsFen},
        ${v.deliveryFeeFen}, ${v.totalFen}, ${v.deliveryMode}, ${v.householdId}, ${v.note},
        ${v.pickupCode}, ${v.payBy}, ${v.numberDay}, (SELECT seq FROM n))
      RETURNING created_at, updated_at, number_seq)
    SELECT CASE
        WHEN r.claimed = 0 THEN linli_fail('replay')
        WHEN r.took < ${v.lineCount}::int THEN linli_fail('short', r.took_ids)
        WHEN NOT ${v.careful}::boolean AND r.crossed THEN linli_fail('threshold')
      END AS failed,
      r.created_at, r.updated_at, r.number_seq,
      CASE WHEN ${v.careful}::boolean THEN r.taken END AS taken
    FROM (SELECT
        (SELECT count(*) FROM k) AS claimed,
        (SELECT count(*) FROM i) + (SELECT count(*) FROM e)
          ${sql.join(alongside.map((a) => sql` + (SELECT count(*) FROM ${a.name})`))} AS written,
        (SELECT count(*) FROM t) AS took,
        (SELECT string_agg(product_id::text, ',') FROM t) AS took_ids,
        EXISTS (SELECT FROM t WHERE stock <= low_stock_threshold
          AND stock + quantity > low_stock_threshold) AS crossed,
        (SELECT json_agg(t) FROM t) AS taken,
        (SELECT created_at FROM o) AS created_at,
        (SELECT updated_at FROM o) AS updated_at,
        (SELECT number_seq FROM o) AS number_seq
      OFFSET 0) AS r`;
}

/** A statement another module gives to run inside the order's (an insert: it says what it wrote). */
type Returning = { returning(): SQLWrapper };

const compiledOrderWrite = compiledSql<WriteValues, WriteRow>((db, p) =>
  orderStatement(db, boundPlaceholders(p), []),
);

async function writeOrder(q: DbOrTx, values: WriteValues, extra: Returning[]): Promise<Written> {
  const [row] = extra.length
    ? ((await q.execute(orderStatement(q, boundValues(values), extra))) as unknown as WriteRow[])
    : await compiledOrderWrite(q, values);
  const taken = typeof row!.taken === 'string' ? (JSON.parse(row!.taken) as TakenRow[]) : (row!.taken ?? []);
  return {
    row: {
      createdAt: new Date(row!.created_at),
      updatedAt: new Date(row!.updated_at),
      numberSeq: row!.number_seq,
    },
    taken: taken.map((t) => ({
      productId: t.product_id,
      stock: t.stock,
      lowStockThreshold: t.low_stock_threshold,
      name: t.name,
      quantity: t.quantity,
    })),
  };
}

interface TakenRow {
  product_id: string;
  stock: number;
  low_stock_threshold: number;
  name: string;
  quantity: number;
}
