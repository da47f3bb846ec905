import { sql } from 'drizzle-orm';
import { doublePrecision, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz } from './_columns';
import { users } from './users';

export const communities = pgTable('communities', {
  id: idColumn(),
  name: text('name').notNull().unique(),
  city: text('city').notNull(),
  createdAt: createdAt(),
});

export const compounds = pgTable(
  'compounds',
  {
    id: idColumn(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id),
    name: text('name').notNull(),
    /** Where the compound's gate is: home delivery is offered within a shop's radius of it. */
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
  },
  (t) => [uniqueIndex('compounds_community_name').on(t.communityId, t.name)],
);

export const buildings = pgTable(
  'buildings',
  {
    id: idColumn(),
    compoundId: uuid('compound_id')
      .notNull()
      .references(() => compounds.id),
    name: text('name').notNull(),
  },
  (t) => [uniqueIndex('buildings_compound_name').on(t.compoundId, t.name)],
);

export const households = pgTable(
  'households',
  {
    id: idColumn(),
    buildingId: uuid('building_id')
      .notNull()
      .references(() => buildings.id),
    unit: text('unit').notNull(),
  },
  (t) => [uniqueIndex('households_building_unit').on(t.buildingId, t.unit)],
);

export const membershipStatusEnum = pgEnum('membership_status', ['pending', 'approved', 'rejected']);

export const memberships = pgTable(
  'memberships',
  {
    id: idColumn(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    status: membershipStatusEnum('status').notNull().default('pending'),
    reviewNote: text('review_note'),
    reviewedBy: uuid('reviewed_by').references(() => users.id),
    reviewedAt: tstz('reviewed_at'),
    createdAt: createdAt(),
  },
  // One live request or membership per person and household; rejected ones may be retried.
  (t) => [
    uniqueIndex('memberships_live_unique').on(t.userId, t.householdId).where(sql`${t.status} <> 'rejected'`),
  ],
);

/** Which communities a staff member runs; staff see and review only those. */
export const staffCommunities = pgTable(
  'staff_communities',
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
