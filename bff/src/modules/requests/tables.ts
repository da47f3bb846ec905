import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  CONTACT_PREFERENCES,
  REQUEST_ACTOR_ROLES,
  REQUEST_CATEGORIES,
  REQUEST_EVENT_KINDS,
  requestFlow,
} from 'shared';
import { createdAt, enumValues, idColumn, tstz } from '../../db/schema/_columns';
import { users } from '../identity/tables';
import { merchants } from '../merchants/tables';
import { communities, compounds, households } from '../places/tables';

export const requestStatusEnum = pgEnum('resident_request_status', enumValues(requestFlow.states));
export const requestCategoryEnum = pgEnum('request_category', REQUEST_CATEGORIES);
export const requestContactEnum = pgEnum('request_contact', CONTACT_PREFERENCES);
export const requestEventKindEnum = pgEnum('request_event_kind', REQUEST_EVENT_KINDS);
export const requestActorRoleEnum = pgEnum('request_actor_role', REQUEST_ACTOR_ROLES);

/**
 * A resident's request (need, complaint, repair, ...) about their household's compound. It is
 * handled by one handler at a time: a staff member of the community or a home-service shop. The
 * two time limits are fixed when it is raised (the resolution one moves on a reopen); `*_escalated_at`
 * records that the lead was told about that deadline, so each deadline escalates once.
 */
export const residentRequests = pgTable(
  'resident_requests',
  {
    id: idColumn(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id),
    compoundId: uuid('compound_id')
      .notNull()
      .references(() => compounds.id),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    /** The resident it is for (the elder when a family proxy raised it). */
    residentId: uuid('resident_id')
      .notNull()
      .references(() => users.id),
    raisedBy: uuid('raised_by')
      .notNull()
      .references(() => users.id),
    category: requestCategoryEnum('category').notNull(),
    text: text('text').notNull(),
    location: text('location').notNull(),
    contact: requestContactEnum('contact').notNull(),
    /** Upload ids in the order the resident chose them (attached to this request, purpose `request`). */
    photos: uuid('photos').array().notNull().default(sql`'{}'::uuid[]`),
    status: requestStatusEnum('status').notNull().default('submitted'),
    handlerUserId: uuid('handler_user_id').references(() => users.id),
    handlerMerchantId: uuid('handler_merchant_id').references(() => merchants.id),
    dispatchedAt: tstz('dispatched_at'),
    respondBy: tstz('respond_by').notNull(),
    /** The first answer: a handler accepted it, or staff rejected it. */
    respondedAt: tstz('responded_at'),
    respondEscalatedAt: tstz('respond_escalated_at'),
    resolveBy: tstz('resolve_by').notNull(),
    resolvedAt: tstz('resolved_at'),
    resolveEscalatedAt: tstz('resolve_escalated_at'),
    resolutionNote: text('resolution_note'),
    resolutionPhotos: uuid('resolution_photos').array().notNull().default(sql`'{}'::uuid[]`),
    /** Who uploaded the resolution photos (the handler of the moment). */
    resolvedBy: uuid('resolved_by').references(() => users.id),
    rating: smallint('rating'),
    ratingText: text('rating_text'),
    ratedAt: tstz('rated_at'),
    closedAt: tstz('closed_at'),
    rejectReason: text('reject_reason'),
    reopenCount: smallint('reopen_count').notNull().default(0),
    /** Bumped by every change: what a page saw, and what a job was queued for. */
    version: integer('version').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('resident_requests_community').on(t.communityId, t.status, t.createdAt),
    index('resident_requests_resident').on(t.residentId, t.createdAt),
    index('resident_requests_handler_user').on(t.handlerUserId, t.status),
    index('resident_requests_handler_merchant').on(t.handlerMerchantId, t.status),
    check('resident_requests_rating', sql`${t.rating} IS NULL OR ${t.rating} BETWEEN 1 AND 5`),
    check('resident_requests_reopens', sql`${t.reopenCount} BETWEEN 0 AND 1`),
    check('resident_requests_one_handler', sql`${t.handlerUserId} IS NULL OR ${t.handlerMerchantId} IS NULL`),
    check('resident_requests_photos', sql`cardinality(${t.photos}) <= 9`),
    check('resident_requests_resolution_photos', sql`cardinality(${t.resolutionPhotos}) <= 9`),
    check('resident_requests_limits', sql`${t.resolveBy} >= ${t.respondBy}`),
  ],
);

/**
 * The request's timeline, append-only (a trigger refuses UPDATE and DELETE): every transition,
 * rating and escalation, with who did it. The resident's page and staff's both read it.
 */
export const requestEvents = pgTable(
  'request_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => residentRequests.id),
    kind: requestEventKindEnum('kind').notNull(),
    byRole: requestActorRoleEnum('by_role').notNull(),
    byUserId: uuid('by_user_id').references(() => users.id),
    byMerchantId: uuid('by_merchant_id').references(() => merchants.id),
    note: text('note').notNull().default(''),
    at: tstz('at').notNull(),
  },
  (t) => [index('request_events_request').on(t.requestId, t.id)],
);

/** A community's own time limits for a category (the configured defaults apply otherwise). */
export const requestTimeLimits = pgTable(
  'request_time_limits',
  {
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id),
    category: requestCategoryEnum('category').notNull(),
    respondHours: integer('respond_hours').notNull(),
    resolveHours: integer('resolve_hours').notNull(),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.communityId, t.category] }),
    check(
      'request_time_limits_hours',
      sql`${t.respondHours} BETWEEN 1 AND 720 AND ${t.resolveHours} BETWEEN ${t.respondHours} AND 2160`,
    ),
  ],
);

/** Per community: the lead staff member told when a time limit is missed (all staff when unset). */
export const requestSettings = pgTable('request_settings', {
  communityId: uuid('community_id')
    .primaryKey()
    .references(() => communities.id),
  leadStaffId: uuid('lead_staff_id').references(() => users.id),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});
