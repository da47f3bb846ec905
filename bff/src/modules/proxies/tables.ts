import { sql } from 'drizzle-orm';
import { check, index, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { proxyLinkFlow } from 'shared';
import { createdAt, enumValues, idColumn, tstz } from '../../db/schema/_columns';
import { users } from '../identity/tables';

export const consentStatusEnum = pgEnum('consent_status', enumValues(proxyLinkFlow.states));
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
