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
import { compiledSelect } from '../../db/compiled';
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
import { type MerchantRow, merchantRow, takesOrdersAt } from '../merchants';
import { notify } from '../notifications';
import { type HouseholdPlace, householdPlaces } from '../places';
import {
  crossedLowStock,
  type ProductRow,
  productsByIds,
  type Reserved,
  takeStockStatement,
} from '../products';
import { deliveryModeStep, type NewOrder, viewPart } from './hooks';
import { orderExpireJob } from './jobs';
import { nextNumberStatement, orderNumberDay } from './numbers';
import { idempotencyKeys, type orderEvents, type orderItems } from './tables';
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

/** The key's order id when this is a replay; else the new order. */
async function readAndPlace(q: DbOrTx, input: Input): Promise<string | Placed> {
  const { actor, key, body } = input;
  const home = body.delivery.mode === 'home' ? body.delivery.householdId : null;
  // One round trip: sent without waiting in between (pipelined on a transaction's connection).
  const [seen, shop, products, place, member] = await Promise.all([
    keyRows(q, actor, key),
    merchantRow(q, body.merchantId),
    productsByIds(
      q,
      body.items.map((i) => i.productId),
    ),
    home ? householdPlaces(q, [home]).then((m) => m.get(home)) : undefined,
    home ? isApprovedMember(q, actor.userId, home) : false,
  ]);
  if (seen.length > 0) return replayOf(seen[0], input.hash);
  return placeOrder(q, input, {
    shop,
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
  let written: Written;
  try {
    written = await writeOrder(q, {
      order,
      items,
      event,
      key: input.key,
      hash: input.hash,
      numberDay,
      careful: input.careful,
      alongside: [
        auditEntry(q, actor, 'order.created', { type: 'order', id: order.id }, { totalFen: order.totalFen }),
        outboxEntry(
          q,
          orderExpireJob,
          { orderId: order.id },
          { delayMs: config.ORDER_PAY_TIMEOUT_SECONDS * 1000 },
        ),
        ...(step ? [step.record(q, order, checked, now)] : []),
      ],
    });
  } catch (err) {
    const failed = statementFailure(err);
    if (failed?.reason === 'short') {
      // The first line in product-id order that found too little (the order the stock is taken in).
      const taken = new Set(failed.detail.split(',').filter(Boolean));
      const short = body.items
        .map((item, index) => ({ ...item, index }))
        .sort((a, b) => a.productId.localeCompare(b.productId))
        .find((l) => !taken.has(l.productId));
      throw fieldConflict(
        'STOCK_INSUFFICIENT',
        'Not enough stock left',
        `body.items.${short?.index ?? 0}.quantity`,
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

/**
 * The whole order in one statement: the key's claim (with its link to the order), the shop's day
 * counter, the order with its number, its lines, its first timeline entry, the statements other
 * modules gave (`alongside`), and the stock. Foreign keys between them are checked at the
 * statement's end, when all rows exist. It fails itself (and so writes nothing) when the key was
 * already claimed ('replay'; the claim waits for a concurrent claim's commit), when a line found
 * too little stock ('short', with the product ids that did find theirs), and, unless careful, when
 * a line would cross its product's low-stock threshold ('threshold').
 */
async function writeOrder(
  q: DbOrTx,
  w: {
    order: NewOrder;
    items: (typeof orderItems.$inferInsert)[];
    event: typeof orderEvents.$inferInsert;
    key: string;
    hash: string;
    numberDay: string;
    careful: boolean;
    alongside: SQLWrapper[];
  },
): Promise<Written> {
  const { order: o, items, event: e } = w;
  const lines = sql.join(
    items.map((i) => sql`(${i.orderId}, ${i.productId}, ${i.name}, ${i.unit}, ${i.priceFen}, ${i.quantity})`),
    sql`, `,
  );
  const alongside = w.alongside.map((s, n) => sql`, ${sql.raw(`x${n}`)} AS ${s}`);
  const [row] = (await q.execute(sql`
    WITH k AS (
      INSERT INTO idempotency_keys (user_id, key, request_hash, order_id)
      VALUES (${o.userId}, ${w.key}, ${w.hash}, ${o.id})
      ON CONFLICT DO NOTHING RETURNING order_id),
    n AS (${nextNumberStatement(o.merchantId, w.numberDay)}),
    o AS (
      INSERT INTO orders (id, user_id, placed_by, merchant_id, status, items_fen, delivery_fee_fen,
        total_fen, delivery_mode, household_id, note, pickup_code, pay_by, number_day, number_seq)
      VALUES (${o.id}, ${o.userId}, ${o.placedBy}, ${o.merchantId}, ${o.status}, ${o.itemsFen},
        ${o.deliveryFeeFen}, ${o.totalFen}, ${o.deliveryMode}, ${o.householdId}, ${o.note},
        ${o.pickupCode}, ${o.payBy.toISOString()}, ${w.numberDay}, (SELECT seq FROM n))
      RETURNING created_at, updated_at, number_seq),
    i AS (
      INSERT INTO order_items (order_id, product_id, name, unit, price_fen, quantity) VALUES ${lines}),
    e AS (
      INSERT INTO order_events (id, order_id, event, from_status, to_status, actor_id)
      VALUES (${e.id}, ${e.orderId}, ${e.event}, ${e.fromStatus}, ${e.toStatus}, ${e.actorId}))
    ${sql.join(alongside)},
    t AS (${takeStockStatement(
      o.merchantId,
      items.map((i) => ({ productId: i.productId, quantity: i.quantity })),
    )})
    SELECT CASE
        WHEN NOT EXISTS (SELECT FROM k) THEN linli_fail('replay')
        WHEN (SELECT count(*) FROM t) < ${items.length}::int
          THEN linli_fail('short', (SELECT string_agg(product_id::text, ',') FROM t))
        WHEN NOT ${w.careful}::boolean AND EXISTS (SELECT FROM t
          WHERE stock <= low_stock_threshold AND stock + quantity > low_stock_threshold)
          THEN linli_fail('threshold')
      END AS failed,
      o.created_at, o.updated_at, o.number_seq,
      CASE WHEN ${w.careful}::boolean THEN (SELECT json_agg(t) FROM t) END AS taken
    FROM o`)) as unknown as {
    created_at: string;
    updated_at: string;
    number_seq: number;
    taken: string | TakenRow[] | null;
  }[];
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
