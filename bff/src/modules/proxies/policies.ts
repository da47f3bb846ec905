import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { definePolicy } from '../../access/require-access';
import { residentsRunBy } from '../memberships';
import { proxyLinks } from './tables';

/** A family member acts for an elder only through a link the elder consented to. */
export const elderActFor = definePolicy('elder.actFor', (db, actor, list) =>
  db
    .select({ id: sql<string>`${proxyLinks.elderId}` })
    .from(proxyLinks)
    .where(
      and(
        eq(proxyLinks.proxyId, actor.actorId),
        eq(proxyLinks.consentStatus, 'granted'),
        inArray(proxyLinks.elderId, list),
      ),
    ),
);

/** Only the elder themself consents in the app. */
export const proxyLinkConsent = definePolicy('proxyLink.consent', (db, actor, list) =>
  db
    .select({ id: proxyLinks.id })
    .from(proxyLinks)
    .where(and(eq(proxyLinks.elderId, actor.actorId), inArray(proxyLinks.id, list))),
);

/** Either side of a link may end it. */
export const proxyLinkRevoke = definePolicy('proxyLink.revoke', (db, actor, list) =>
  db
    .select({ id: proxyLinks.id })
    .from(proxyLinks)
    .where(
      and(
        or(eq(proxyLinks.elderId, actor.actorId), eq(proxyLinks.proxyId, actor.actorId)),
        inArray(proxyLinks.id, list),
      ),
    ),
);

/** Staff record offline consent for elders living in the communities they run. */
export const proxyLinkRecordConsent = definePolicy('proxyLink.recordConsent', (db, actor, list) =>
  db
    .select({ id: proxyLinks.id })
    .from(proxyLinks)
    .where(and(inArray(proxyLinks.id, list), inArray(proxyLinks.elderId, residentsRunBy(db, actor.actorId)))),
);
