import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, tstz } from './_columns';
import { users } from './users';

export const consentStatusEnum = pgEnum('consent_status', ['pending', 'granted', 'revoked']);
export const consentMethodEnum = pgEnum('consent_method', ['in_app', 'in_person', 'paper']);

/** A family member (proxy) acting for an elder; only with the elder's recorded consent. */
export const proxyLinks = pgTable(
  'proxy_links',
  {
    id: idColumn(),
    /**
     * Null while the number asked for belongs to no registered elder: the request is kept all the
     * same, so asking tells nobody whether a phone number is an elder's.
     */
    elderId: uuid('elder_id').references(() => users.id, { onDelete: 'cascade' }),
    /** The number the family member asked for (shown to them masked). */
    elderPhone: text('elder_phone').notNull(),
    proxyId: uuid('proxy_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    relationship: text('relationship').notNull(),
    consentStatus: consentStatusEnum('consent_status').notNull().default('pending'),
    consentMethod: consentMethodEnum('consent_method'),
    consentAt: tstz('consent_at'),
    consentRecordedBy: uuid('consent_recorded_by').references(() => users.id),
    consentNote: text('consent_note'),
    revokedAt: tstz('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    check('proxy_links_not_self', sql`${t.elderId} <> ${t.proxyId}`),
    uniqueIndex('proxy_links_live_unique')
      .on(t.elderPhone, t.proxyId)
      .where(sql`${t.consentStatus} <> 'revoked'`),
    index('proxy_links_elder').on(t.elderId),
  ],
);

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
