import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { CARE_PERFORMERS, careBookingFlow, careProviderFlow, MEAL_KINDS, MEAL_MODES } from 'shared';
import { createdAt, enumValues, idColumn, tstz } from '../../db/schema/_columns';
import { users } from '../identity/tables';
import { communities, compounds, households } from '../places/tables';
import { uploads } from '../uploads/tables';

export const careProviderStatusEnum = pgEnum('care_provider_status', enumValues(careProviderFlow.states));
export const careBookingStatusEnum = pgEnum('care_booking_status', enumValues(careBookingFlow.states));
export const carePerformerEnum = pgEnum('care_performer', CARE_PERFORMERS);
export const mealKindEnum = pgEnum('meal_kind', MEAL_KINDS);
export const mealModeEnum = pgEnum('meal_mode', MEAL_MODES);

/** The six service categories (助餐, 生活照料, ...); staff rename and reorder them. */
export const careCategories = pgTable('care_categories', {
  id: idColumn(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  sort: integer('sort').notNull().default(0),
});

/**
 * A bookable service. Its price is copied onto each booking, so a change here never touches an
 * existing one. Buffers, notice and the daily cap shape the slots; `certification` says who may
 * perform it.
 */
export const careItems = pgTable(
  'care_items',
  {
    id: idColumn(),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => careCategories.id),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    durationMin: integer('duration_min').notNull(),
    priceFen: integer('price_fen').notNull(),
    performer: carePerformerEnum('performer').notNull().default('caregiver'),
    certification: text('certification'),
    /** On the subsidised list: only elders at or over the community's age may book it, and vouchers apply. */
    subsidised: boolean('subsidised').notNull().default(true),
    /** The share of the price a voucher may pay, in percent (the community's cap applies on top). */
    voucherPercent: integer('voucher_percent').notNull().default(50),
    needsConfirmation: boolean('needs_confirmation').notNull().default(false),
    bufferBeforeMin: integer('buffer_before_min').notNull().default(0),
    bufferAfterMin: integer('buffer_after_min').notNull().default(0),
    minNoticeMin: integer('min_notice_min').notNull().default(120),
    /** Bookings of this item one caregiver takes in a local day. */
    dailyCap: integer('daily_cap').notNull().default(8),
    checklist: jsonb('checklist').$type<string[]>().notNull().default([]),
    active: boolean('active').notNull().default(true),
    sort: integer('sort').notNull().default(0),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('care_items_duration', sql`${t.durationMin} BETWEEN 15 AND 720`),
    check('care_items_price', sql`${t.priceFen} BETWEEN 0 AND 1000000`),
    check('care_items_voucher_percent', sql`${t.voucherPercent} BETWEEN 0 AND 100`),
    check(
      'care_items_buffers',
      sql`${t.bufferBeforeMin} BETWEEN 0 AND 240 AND ${t.bufferAfterMin} BETWEEN 0 AND 240 AND ${t.minNoticeMin} BETWEEN 0 AND 20160`,
    ),
    check('care_items_daily_cap', sql`${t.dailyCap} BETWEEN 1 AND 50`),
  ],
);

/** A community's rules for the subsidised list and its vouchers. */
export const careSettings = pgTable(
  'care_settings',
  {
    communityId: uuid('community_id')
      .primaryKey()
      .references(() => communities.id),
    minAge: integer('min_age').notNull().default(80),
    monthlyVoucherFen: integer('monthly_voucher_fen').notNull().default(20000),
    /** The most of any booking's price a voucher pays, in percent. */
    voucherCapPercent: integer('voucher_cap_percent').notNull().default(50),
    /** Cancelling closer than this to the start is a late cancel. */
    freeCancelHours: integer('free_cancel_hours').notNull().default(24),
    /** How long a provider has to confirm a request before it is reassigned. */
    confirmWithinMin: integer('confirm_within_min').notNull().default(120),
    /** How long a family has to pay a booking's self-pay before the booking is cancelled. */
    payWithinMin: integer('pay_within_min').notNull().default(30),
  },
  (t) => [
    check(
      'care_settings_ranges',
      sql`${t.minAge} BETWEEN 50 AND 120 AND ${t.voucherCapPercent} BETWEEN 0 AND 100`,
    ),
  ],
);

/** A home-care organisation (服务机构); verified by staff of its community before it serves. */
export const careProviders = pgTable(
  'care_providers',
  {
    id: idColumn(),
    ownerId: uuid('owner_id')
      .notNull()
      .unique()
      .references(() => users.id),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id),
    name: text('name').notNull(),
    licenseNo: text('license_no').notNull(),
    contactPhone: text('contact_phone').notNull(),
    description: text('description').notNull().default(''),
    /** Provides meals (the elder canteen): meal plans are subscribed with it. */
    servesMeals: boolean('serves_meals').notNull().default(false),
    status: careProviderStatusEnum('status').notNull().default('pending'),
    reviewNote: text('review_note'),
    reviewedBy: uuid('reviewed_by').references(() => users.id),
    reviewedAt: tstz('reviewed_at'),
    createdAt: createdAt(),
  },
  (t) => [index('care_providers_community').on(t.communityId, t.status)],
);

/** A person (role caregiver) working for a provider. */
export const caregivers = pgTable('caregivers', {
  id: idColumn(),
  userId: uuid('user_id')
    .notNull()
    .unique()
    .references(() => users.id),
  providerId: uuid('provider_id')
    .notNull()
    .references(() => careProviders.id),
  name: text('name').notNull(),
  certifications: jsonb('certifications').$type<string[]>().notNull().default([]),
  active: boolean('active').notNull().default(true),
  /** Round robin: the qualified caregiver booked least recently gets the next booking. */
  lastBookedAt: tstz('last_booked_at'),
  createdAt: createdAt(),
});

/** Weekly working hours in local time (minutes after local midnight; weekday 1 = Monday). */
export const caregiverHours = pgTable(
  'caregiver_hours',
  {
    id: idColumn(),
    caregiverId: uuid('caregiver_id')
      .notNull()
      .references(() => caregivers.id, { onDelete: 'cascade' }),
    weekday: smallint('weekday').notNull(),
    startMin: integer('start_min').notNull(),
    endMin: integer('end_min').notNull(),
  },
  (t) => [
    index('caregiver_hours_caregiver').on(t.caregiverId),
    check(
      'caregiver_hours_range',
      sql`${t.weekday} BETWEEN 1 AND 7 AND ${t.startMin} >= 0 AND ${t.endMin} <= 1440 AND ${t.startMin} < ${t.endMin}`,
    ),
  ],
);

/** The compounds a caregiver goes to. */
export const caregiverCompounds = pgTable(
  'caregiver_compounds',
  {
    caregiverId: uuid('caregiver_id')
      .notNull()
      .references(() => caregivers.id, { onDelete: 'cascade' }),
    compoundId: uuid('compound_id')
      .notNull()
      .references(() => compounds.id),
  },
  (t) => [primaryKey({ columns: [t.caregiverId, t.compoundId] })],
);

export const caregiverTimeOff = pgTable(
  'caregiver_time_off',
  {
    id: idColumn(),
    caregiverId: uuid('caregiver_id')
      .notNull()
      .references(() => caregivers.id, { onDelete: 'cascade' }),
    startsAt: tstz('starts_at').notNull(),
    endsAt: tstz('ends_at').notNull(),
    reason: text('reason').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [
    index('caregiver_time_off_caregiver').on(t.caregiverId, t.startsAt),
    check('caregiver_time_off_order', sql`${t.startsAt} < ${t.endsAt}`),
  ],
);

export interface EmergencyContact {
  name: string;
  phone: string;
  relation: string;
}

/** What care needs to know about an elder. Health notes and contacts are sensitive (access-logged). */
export const elderProfiles = pgTable('elder_profiles', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  householdId: uuid('household_id')
    .notNull()
    .references(() => households.id),
  healthNotes: text('health_notes').notNull().default(''),
  emergencyContacts: jsonb('emergency_contacts').$type<EmergencyContact[]>().notNull().default([]),
  preferredCaregiverId: uuid('preferred_caregiver_id').references(() => caregivers.id),
  livesAlone: boolean('lives_alone').notNull().default(false),
  dietaryNotes: text('dietary_notes').notNull().default(''),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/**
 * A booked visit. Item name, price and the voucher/self-pay split are copied at booking time.
 * `block_start`/`block_end` are the caregiver's time taken including buffers and travel; two
 * exclusion constraints (in the migration) keep caregivers and elders from being double-booked.
 */
export const careBookings = pgTable(
  'care_bookings',
  {
    id: idColumn(),
    shortNo: text('short_no').notNull().unique(),
    elderId: uuid('elder_id')
      .notNull()
      .references(() => users.id),
    bookedBy: uuid('booked_by')
      .notNull()
      .references(() => users.id),
    itemId: uuid('item_id')
      .notNull()
      .references(() => careItems.id),
    itemName: text('item_name').notNull(),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => careProviders.id),
    caregiverId: uuid('caregiver_id')
      .notNull()
      .references(() => caregivers.id),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    compoundId: uuid('compound_id')
      .notNull()
      .references(() => compounds.id),
    startsAt: tstz('starts_at').notNull(),
    endsAt: tstz('ends_at').notNull(),
    blockStart: tstz('block_start').notNull(),
    blockEnd: tstz('block_end').notNull(),
    /** The caregiver's local day of the visit (YYYY-MM-DD): the daily cap counts per day. */
    localDate: date('local_date').notNull(),
    priceFen: integer('price_fen').notNull(),
    voucherFen: integer('voucher_fen').notNull().default(0),
    selfPayFen: integer('self_pay_fen').notNull().default(0),
    /** Self-pay received (payments confirmed it); null while none is due or none arrived. */
    paidAt: tstz('paid_at'),
    /**
     * When unpaid self-pay cancels the booking and frees the caregiver's time; null when nothing is
     * due (or for bookings made before the deadline existed).
     */
    payBy: tstz('pay_by'),
    note: text('note').notNull().default(''),
    status: careBookingStatusEnum('status').notNull(),
    /** When the provider must have confirmed a `requested` booking. */
    confirmBy: tstz('confirm_by'),
    /** Caregivers who let this request lapse unconfirmed: the timeout never hands it back to them. */
    passedOver: jsonb('passed_over').$type<string[]>().notNull().default([]),
    cancelledAt: tstz('cancelled_at'),
    cancelledBy: uuid('cancelled_by').references(() => users.id),
    cancelReason: text('cancel_reason'),
    lateCancel: boolean('late_cancel').notNull().default(false),
    /** Who missed a no-show visit: the elder (not home) or the caregiver (never came). */
    noShowBy: text('no_show_by'),
    version: integer('version').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index('care_bookings_elder').on(t.elderId, t.startsAt),
    index('care_bookings_caregiver_day').on(t.caregiverId, t.localDate),
    index('care_bookings_provider_start').on(t.providerId, t.startsAt),
    check('care_bookings_order', sql`${t.startsAt} < ${t.endsAt} AND ${t.blockStart} <= ${t.startsAt}`),
    check(
      'care_bookings_money',
      sql`${t.voucherFen} >= 0 AND ${t.selfPayFen} >= 0 AND ${t.voucherFen} + ${t.selfPayFen} = ${t.priceFen}`,
    ),
    check('care_bookings_no_show_by', sql`${t.noShowBy} IS NULL OR ${t.noShowBy} IN ('elder', 'caregiver')`),
  ],
);

/** What happened at a visit: the EVV facts, the checklist, notes, summary and the family's rating. */
export const careVisits = pgTable(
  'care_visits',
  {
    bookingId: uuid('booking_id')
      .primaryKey()
      .references(() => careBookings.id),
    clockInAt: tstz('clock_in_at'),
    clockInLat: doublePrecision('clock_in_lat'),
    clockInLng: doublePrecision('clock_in_lng'),
    clockInDistanceM: integer('clock_in_distance_m'),
    clockOutAt: tstz('clock_out_at'),
    clockOutLat: doublePrecision('clock_out_lat'),
    clockOutLng: doublePrecision('clock_out_lng'),
    clockOutDistanceM: integer('clock_out_distance_m'),
    /** Clock-in or out further than the allowed distance from the compound: flagged, never blocked. */
    locationFlagged: boolean('location_flagged').notNull().default(false),
    checklistDone: jsonb('checklist_done').$type<string[]>().notNull().default([]),
    notes: text('notes').notNull().default(''),
    summary: text('summary').notNull().default(''),
    rating: smallint('rating'),
    ratingComment: text('rating_comment'),
    ratedAt: tstz('rated_at'),
    ratedBy: uuid('rated_by').references(() => users.id),
  },
  (t) => [check('care_visits_rating', sql`${t.rating} IS NULL OR ${t.rating} BETWEEN 1 AND 5`)],
);

export const careVisitPhotos = pgTable(
  'care_visit_photos',
  {
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => careBookings.id),
    uploadId: uuid('upload_id')
      .notNull()
      .references(() => uploads.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.bookingId, t.uploadId] })],
);

export const careIncidents = pgTable('care_incidents', {
  id: idColumn(),
  bookingId: uuid('booking_id')
    .notNull()
    .references(() => careBookings.id),
  reportedBy: uuid('reported_by')
    .notNull()
    .references(() => users.id),
  description: text('description').notNull(),
  createdAt: createdAt(),
});

/**
 * One row per reminder a booking is owed (24 h and 1 h before). The job sends only a row that is
 * still here, unsent and due at the booking's current start: cancelling deletes the rows, moving
 * a booking replaces them, so a stale queued job finds nothing and does nothing.
 */
export const careReminders = pgTable(
  'care_reminders',
  {
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => careBookings.id),
    kind: text('kind').notNull(),
    dueAt: tstz('due_at').notNull(),
    sentAt: tstz('sent_at'),
  },
  (t) => [primaryKey({ columns: [t.bookingId, t.kind] })],
);

/**
 * The voucher ledger: append-only (the migration refuses UPDATE and DELETE). The balance is the
 * sum; `voucher_balances` carries it for the conditional spend that keeps it from going negative.
 */
export const voucherLedger = pgTable(
  'voucher_ledger',
  {
    id: idColumn(),
    elderId: uuid('elder_id')
      .notNull()
      .references(() => users.id),
    /** grant (monthly allotment), spend (a booking or meal), return (a cancel). */
    kind: text('kind').notNull(),
    amountFen: integer('amount_fen').notNull(),
    month: text('month').notNull(),
    bookingId: uuid('booking_id').references(() => careBookings.id),
    mealBookingId: uuid('meal_booking_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('voucher_ledger_one_grant').on(t.elderId, t.month).where(sql`${t.kind} = 'grant'`),
    index('voucher_ledger_elder').on(t.elderId, t.createdAt),
    check('voucher_ledger_kind', sql`${t.kind} IN ('grant', 'spend', 'return')`),
  ],
);

export const voucherBalances = pgTable(
  'voucher_balances',
  {
    elderId: uuid('elder_id')
      .primaryKey()
      .references(() => users.id),
    balanceFen: integer('balance_fen').notNull().default(0),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [check('voucher_balances_non_negative', sql`${t.balanceFen} >= 0`)],
);

/**
 * Every read of an elder's address, phone or health notes by someone other than the elder.
 * Append-only: the migration's trigger refuses UPDATE and DELETE.
 */
export const elderAccessLog = pgTable(
  'elder_access_log',
  {
    id: idColumn(),
    elderId: uuid('elder_id')
      .notNull()
      .references(() => users.id),
    readerId: uuid('reader_id')
      .notNull()
      .references(() => users.id),
    /** address, phone, health_notes, emergency_contacts */
    field: text('field').notNull(),
    reason: text('reason').notNull(),
    bookingId: uuid('booking_id').references(() => careBookings.id),
    at: createdAt(),
  },
  (t) => [index('elder_access_log_elder').on(t.elderId, t.at)],
);

/** An elder's standing order of weekday lunches and/or dinners from a meal provider. */
export const mealPlans = pgTable(
  'meal_plans',
  {
    id: idColumn(),
    elderId: uuid('elder_id')
      .notNull()
      .references(() => users.id),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => careProviders.id),
    meals: jsonb('meals').$type<('lunch' | 'dinner')[]>().notNull(),
    mode: mealModeEnum('mode').notNull(),
    /** ISO weekdays (1 = Monday) the plan runs. */
    weekdays: jsonb('weekdays').$type<number[]>().notNull(),
    dietaryNotes: text('dietary_notes').notNull().default(''),
    priceFen: integer('price_fen').notNull(),
    active: boolean('active').notNull().default(true),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('meal_plans_one_active').on(t.elderId, t.providerId).where(sql`${t.active}`)],
);

export const mealSkips = pgTable(
  'meal_skips',
  {
    planId: uuid('plan_id')
      .notNull()
      .references(() => mealPlans.id),
    date: date('date').notNull(),
    meal: mealKindEnum('meal').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.planId, t.date, t.meal] })],
);

/** One meal for one elder on one day, made at the meal's cut-off from the plans not skipped. */
export const mealBookings = pgTable(
  'meal_bookings',
  {
    id: idColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => mealPlans.id),
    elderId: uuid('elder_id')
      .notNull()
      .references(() => users.id),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => careProviders.id),
    date: date('date').notNull(),
    meal: mealKindEnum('meal').notNull(),
    mode: mealModeEnum('mode').notNull(),
    compoundId: uuid('compound_id')
      .notNull()
      .references(() => compounds.id),
    priceFen: integer('price_fen').notNull(),
    voucherFen: integer('voucher_fen').notNull().default(0),
    selfPayFen: integer('self_pay_fen').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('meal_bookings_one').on(t.planId, t.date, t.meal),
    index('meal_bookings_provider_day').on(t.providerId, t.date, t.meal),
  ],
);

/** The canteen's list for one meal: written once at the cut-off. */
export const mealLists = pgTable(
  'meal_lists',
  {
    id: idColumn(),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => careProviders.id),
    date: date('date').notNull(),
    meal: mealKindEnum('meal').notNull(),
    dineIn: integer('dine_in').notNull(),
    delivered: integer('delivered').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('meal_lists_one').on(t.providerId, t.date, t.meal)],
);
