import { sql } from 'drizzle-orm';
import { pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { membershipFlow } from 'shared';
import { createdAt, enumValues, idColumn, tstz } from '../../db/schema/_columns';
import { users } from '../identity/tables';
import { households } from '../places/tables';

export const membershipStatusEnum = pgEnum('membership_status', enumValues(membershipFlow.states));

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
