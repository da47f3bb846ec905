import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { batchFlow, compartmentFlow, deliveryWindowFlow, lockerAssignmentFlow, lockerBankFlow } from 'shared';
import { createdAt, enumValues, idColumn, tstz } from '../../db/schema/_columns';
import { users } from '../identity/tables';
import { orders } from '../orders/tables';
import { communities, compounds } from '../places/tables';
import { sizeHintEnum, temperatureEnum } from '../products/tables';

export const bankStatusEnum = pgEnum('locker_bank_status', enumValues(lockerBankFlow.states));
export const compartmentStateEnum = pgEnum('compartment_state', enumValues(compartmentFlow.states));
export const windowStatusEnum = pgEnum('delivery_window_status', enumValues(deliveryWindowFlow.states));
export const batchStatusEnum = pgEnum('batch_status', enumValues(batchFlow.states));
/** What happens to an order taken back from a locker: perishables go to food rescue or are disposed of. */
export const dispositionEnum = pgEnum('locker_disposition', ['rescue', 'dispose', 'return']);
export const assignmentStatusEnum = pgEnum('assignment_status', enumValues(lockerAssignmentFlow.states));

/** A smart locker (生鲜柜) in a compound; its panel signs pickup requests with the device secret. */
export const lockerBanks = pgTable(
  'locker_banks',
  {
    id: idColumn(),
    compoundId: uuid('compound_id')
      .notNull()
      .references(() => compounds.id),
    name: text('name').notNull(),
    location: text('location').notNull(),
    status: bankStatusEnum('status').notNull().default('active'),
    /** HMAC key of the panel; never returned after it is made or rotated. */
    deviceSecret: text('device_secret').notNull(),
    /** Wrong codes in a row at the panel; five lock code entry for a while. */
    failedAttempts: integer('failed_attempts').notNull().default(0),
    codeLockedUntil: tstz('code_locked_until'),
    /**
     * The rows (1 = bottom) a person reaches without bending or stretching; those who ask get
     * compartments there first. Banks made before rows existed have one row, all of it in reach.
     */
    reachableFromRow: integer('reachable_from_row').notNull().default(1),
    reachableToRow: integer('reachable_to_row').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'locker_banks_reachable_rows',
      sql`${t.reachableFromRow} >= 1 AND ${t.reachableToRow} >= ${t.reachableFromRow}`,
    ),
  ],
);

export const compartments = pgTable(
  'compartments',
  {
    id: idColumn(),
    bankId: uuid('bank_id')
      .notNull()
      .references(() => lockerBanks.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    size: sizeHintEnum('size').notNull(),
    zone: temperatureEnum('zone').notNull(),
    state: compartmentStateEnum('state').notNull().default('free'),
    /** Its height in the bank: 1 is the bottom row. */
    row: integer('row').notNull().default(1),
  },
  (t) => [
    uniqueIndex('compartments_bank_label').on(t.bankId, t.label),
    index('compartments_bank_state').on(t.bankId, t.state),
    check('compartments_row', sql`${t.row} >= 1`),
  ],
);

/** Weekly delivery windows of a community, in local time (the display zone). */
export const deliverySchedules = pgTable('delivery_schedules', {
  id: idColumn(),
  communityId: uuid('community_id')
    .notNull()
    .references(() => communities.id),
  cutoffLocal: text('cutoff_local').notNull(),
  deliveryLocal: text('delivery_local').notNull(),
  deliveryDayOffset: integer('delivery_day_offset').notNull().default(0),
  weekdays: integer('weekdays').array().notNull(),
  closedDates: text('closed_dates').array().notNull().default(sql`'{}'::text[]`),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
});

/** One concrete window: its cut-off and delivery instants in UTC. */
export const deliveryWindows = pgTable(
  'delivery_windows',
  {
    id: idColumn(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id),
    scheduleId: uuid('schedule_id').references(() => deliverySchedules.id),
    cutoffAt: tstz('cutoff_at').notNull(),
    deliverAt: tstz('deliver_at').notNull(),
    status: windowStatusEnum('status').notNull().default('open'),
  },
  (t) => [
    uniqueIndex('delivery_windows_schedule_cutoff').on(t.scheduleId, t.cutoffAt),
    index('delivery_windows_community_cutoff').on(t.communityId, t.cutoffAt),
    check('delivery_windows_order', sql`${t.deliverAt} > ${t.cutoffAt}`),
  ],
);

/** A truck run: one per window, however many times the build runs. */
export const deliveryBatches = pgTable('delivery_batches', {
  id: idColumn(),
  windowId: uuid('window_id')
    .notNull()
    .unique()
    .references(() => deliveryWindows.id),
  courierId: uuid('courier_id').references(() => users.id),
  status: batchStatusEnum('status').notNull().default('building'),
  builtAt: tstz('built_at'),
  startedAt: tstz('started_at'),
  createdAt: createdAt(),
});

/** Which compartment holds (or will hold) which order; at most one live assignment per compartment. */
export const compartmentAssignments = pgTable(
  'compartment_assignments',
  {
    id: idColumn(),
    compartmentId: uuid('compartment_id')
      .notNull()
      .references(() => compartments.id),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => deliveryBatches.id),
    status: assignmentStatusEnum('status').notNull().default('reserved'),
    createdAt: createdAt(),
    releasedAt: tstz('released_at'),
  },
  (t) => [
    uniqueIndex('compartment_assignments_live')
      .on(t.compartmentId)
      .where(sql`${t.status} IN ('reserved', 'occupied')`),
    index('compartment_assignments_order').on(t.orderId),
    index('compartment_assignments_batch').on(t.batchId),
  ],
);

/** The code a resident collects with: unique among the bank's codes not yet used. */
export const lockerPickups = pgTable(
  'locker_pickups',
  {
    orderId: uuid('order_id')
      .primaryKey()
      .references(() => orders.id),
    bankId: uuid('bank_id')
      .notNull()
      .references(() => lockerBanks.id),
    code: text('code').notNull(),
    droppedAt: tstz('dropped_at').notNull(),
    deadline: tstz('deadline').notNull(),
    usedAt: tstz('used_at'),
    extendedAt: tstz('extended_at'),
    extensionFeeFen: integer('extension_fee_fen').notNull().default(0),
    disposition: dispositionEnum('disposition'),
    /** Delayed reminder and overdue jobs, removed from the queue once the order is collected. */
    reminderJobIds: text('reminder_job_ids').array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [uniqueIndex('locker_pickups_live_code').on(t.bankId, t.code).where(sql`${t.usedAt} IS NULL`)],
);

/** Which communities a courier drives for; their batches come from those. */
export const courierCommunities = pgTable(
  'courier_communities',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.communityId] })],
);

/**
 * The locker side of a locker-delivery order: the window and bank the resident chose, and when
 * they consented to locker delivery. Owned here, keyed by the order, so orders know nothing of
 * lockers.
 */
export const lockerOrders = pgTable(
  'locker_orders',
  {
    orderId: uuid('order_id')
      .primaryKey()
      .references(() => orders.id),
    windowId: uuid('window_id')
      .notNull()
      .references(() => deliveryWindows.id),
    bankId: uuid('bank_id')
      .notNull()
      .references(() => lockerBanks.id),
    consentAt: tstz('consent_at').notNull(),
    /**
     * The order asks for compartments in reach (its person's choice, or automatic: 80 and over, or
     * placed by family): set at checkout, refreshed when the cut-off assigns compartments.
     */
    preferReachable: boolean('prefer_reachable').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('locker_orders_window_bank').on(t.windowId, t.bankId)],
);

/**
 * A one-time code that opens an order's compartments for someone the resident trusts with it (a
 * volunteer on the produce run): never the resident's own code, spent on first use, void after
 * its expiry or once the order leaves the locker.
 */
export const lockerDelegations = pgTable(
  'locker_delegations',
  {
    id: idColumn(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    bankId: uuid('bank_id')
      .notNull()
      .references(() => lockerBanks.id),
    holderId: uuid('holder_id')
      .notNull()
      .references(() => users.id),
    code: text('code').notNull(),
    /** Why it was issued (the help task it serves), for the order's timeline and audit. */
    purpose: text('purpose').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    usedAt: tstz('used_at'),
    revokedAt: tstz('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('locker_delegations_live_code')
      .on(t.bankId, t.code)
      .where(sql`${t.usedAt} IS NULL AND ${t.revokedAt} IS NULL`),
    index('locker_delegations_order').on(t.orderId),
  ],
);
