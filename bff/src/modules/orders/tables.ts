import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { LIVE_CODE_STATES, orderFlow } from 'shared';
import { createdAt, enumValues, idColumn, tstz } from '../../db/schema/_columns';
import { users } from '../identity/tables';
import { merchants } from '../merchants/tables';
import { households } from '../places/tables';
import { products } from '../products/tables';

export const orderStatusEnum = pgEnum('order_status', enumValues(orderFlow.states));
export const deliveryModeEnum = pgEnum('delivery_mode', ['shop_pickup', 'home', 'locker']);
export const cancelReasonEnum = pgEnum('cancel_reason', ['timeout', 'resident', 'merchant']);

export const orders = pgTable(
  'orders',
  {
    id: idColumn(),
    /** The resident the order is for (the elder when a family member orders for them). */
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** Who placed it (differs from userId under a proxy link). */
    placedBy: uuid('placed_by')
      .notNull()
      .references(() => users.id),
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    status: orderStatusEnum('status').notNull().default('created'),
    itemsFen: integer('items_fen').notNull(),
    deliveryFeeFen: integer('delivery_fee_fen').notNull().default(0),
    totalFen: integer('total_fen').notNull(),
    deliveryMode: deliveryModeEnum('delivery_mode').notNull(),
    householdId: uuid('household_id').references(() => households.id),
    note: text('note'),
    pickupCode: text('pickup_code').notNull(),
    cancelReason: cancelReasonEnum('cancel_reason'),
    payBy: tstz('pay_by').notNull(),
    paidAt: tstz('paid_at'),
    /**
     * The short number people read (`1202-007`): the shop's local day and its sequence that day,
     * taken from `orderNumberCounters` at checkout. Nullable only for rows older than numbers.
     */
    numberDay: date('number_day'),
    numberSeq: integer('number_seq'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('orders_total', sql`${t.totalFen} = ${t.itemsFen} + ${t.deliveryFeeFen} AND ${t.itemsFen} > 0`),
    check('orders_home_has_household', sql`${t.deliveryMode} <> 'home' OR ${t.householdId} IS NOT NULL`),
    index('orders_user_created').on(t.userId, t.createdAt),
    index('orders_merchant_status').on(t.merchantId, t.status, t.createdAt),
    index('orders_merchant_paid').on(t.merchantId, t.paidAt),
    uniqueIndex('orders_merchant_number').on(t.merchantId, t.numberDay, t.numberSeq),
    check('orders_number_pair', sql`(${t.numberDay} IS NULL) = (${t.numberSeq} IS NULL)`),
    uniqueIndex('orders_live_pickup_code')
      .on(t.merchantId, t.pickupCode)
      // A pickup code is unique among the shop's live codes (the states from the order flow).
      .where(sql`${t.status} IN (${sql.raw(LIVE_CODE_STATES.map((s) => `'${s}'`).join(', '))})`),
  ],
);

/**
 * The last order number a shop handed out on a local day. Checkout bumps it with one upsert right
 * before the stock step, so the row is locked only from there to commit (as the hot stock rows
 * are) and a rolled-back checkout gives its number back.
 */
export const orderNumberCounters = pgTable(
  'order_number_counters',
  {
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id),
    day: date('day').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.day] }),
    check('order_number_counters_last', sql`${t.last} > 0`),
  ],
);

/** What was bought, at the price the server charged: later product edits do not change it. */
export const orderItems = pgTable(
  'order_items',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    name: text('name').notNull(),
    unit: text('unit').notNull(),
    priceFen: integer('price_fen').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.productId] }),
    check('order_items_quantity_positive', sql`${t.quantity} > 0`),
    index('order_items_product').on(t.productId),
  ],
);

/** The order's timeline: one row per transition, written with it. */
export const orderEvents = pgTable(
  'order_events',
  {
    id: idColumn(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    event: text('event').notNull(),
    fromStatus: orderStatusEnum('from_status'),
    toStatus: orderStatusEnum('to_status').notNull(),
    /** Null for the system (timeouts, automatic approvals). */
    actorId: uuid('actor_id').references(() => users.id),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [index('order_events_order').on(t.orderId, t.createdAt)],
);

/**
 * Idempotency-Key per user: the first request inserts the key and holds its row lock until it
 * commits, so a concurrent retry waits and then replays the same order.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    orderId: uuid('order_id').references(() => orders.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);
