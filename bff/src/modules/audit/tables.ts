import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { idColumn, tstz } from '../../db/schema/_columns';
import { users } from '../identity/tables';

/** Append-only record of who did what, and for whom when acting as a proxy. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: idColumn(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    onBehalfOf: uuid('on_behalf_of').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    at: tstz('at').notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_subject').on(t.subjectType, t.subjectId),
    index('audit_log_behalf').on(t.onBehalfOf),
  ],
);
