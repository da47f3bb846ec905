import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { type BusinessHours, MERCHANT_CATEGORIES, merchantFlow } from 'shared';
import { createdAt, enumValues, idColumn, tstz } from '../../db/schema/_columns';
import { users } from '../identity/tables';
import { communities } from '../places/tables';

export const merchantCategoryEnum = pgEnum('merchant_category', MERCHANT_CATEGORIES);
export const merchantStatusEnum = pgEnum('merchant_status', enumValues(merchantFlow.states));

/** A shop. One per owner account; it sells only once staff have verified it. */
export const merchants = pgTable(
  'merchants',
  {
    id: idColumn(),
    ownerId: uuid('owner_id')
      .notNull()
      .unique()
      .references(() => users.id),
    name: text('name').notNull(),
    category: merchantCategoryEnum('category').notNull(),
    description: text('description').notNull().default(''),
    logoUrl: text('logo_url'),
    contactPhone: text('contact_phone').notNull(),
    address: text('address').notNull(),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    hours: jsonb('hours').$type<BusinessHours>().notNull(),
    offersShopPickup: boolean('offers_shop_pickup').notNull().default(true),
    /** Null when the shop does not deliver to homes. */
    homeRadiusM: integer('home_radius_m'),
    homeFeeFen: integer('home_fee_fen').notNull().default(0),
    offersLocker: boolean('offers_locker').notNull().default(false),
    minOrderFen: integer('min_order_fen').notNull().default(0),
    /** The shop's policy for orders left in a locker past their window and taken back: refund or not. */
    refundsOverdue: boolean('refunds_overdue').notNull().default(false),
    status: merchantStatusEnum('status').notNull().default('pending'),
    /** Wrong pickup codes in a row at the counter, and until when code checks are locked. */
    pickupFailedAttempts: integer('pickup_failed_attempts').notNull().default(0),
    pickupCodeLockedUntil: tstz('pickup_code_locked_until'),
    verifiedBy: uuid('verified_by').references(() => users.id),
    verifiedAt: tstz('verified_at'),
    createdAt: createdAt(),
  },
  (t) => [
    check('merchants_fees_non_negative', sql`${t.homeFeeFen} >= 0 AND ${t.minOrderFen} >= 0`),
    index('merchants_status').on(t.status),
  ],
);

/** The communities a shop serves; residents of those communities see it. */
export const merchantCommunities = pgTable(
  'merchant_communities',
  {
    merchantId: uuid('merchant_id')
      .notNull()
      .references(() => merchants.id, { onDelete: 'cascade' }),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.merchantId] })],
);
