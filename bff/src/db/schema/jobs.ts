import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz } from './_columns';

/**
 * Transactional outbox: written in the same transaction as the state change it announces; the
 * relay enqueues each row to BullMQ with jobId = row id, so a replay enqueues nothing twice.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: idColumn(),
    queue: text('queue').notNull(),
    jobName: text('job_name').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    delayMs: integer('delay_ms').notNull().default(0),
    createdAt: createdAt(),
    sentAt: tstz('sent_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_unsent').on(t.createdAt).where(sql`${t.sentAt} IS NULL`)],
);
