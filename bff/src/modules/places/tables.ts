import { doublePrecision, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn } from '../../db/schema/_columns';
import { users } from '../identity/tables';

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
