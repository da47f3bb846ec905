import { and, eq, inArray } from 'drizzle-orm';
import { definePolicy } from '../../access/require-access';
import { shopsOwnedBy } from '../merchants';
import { staffCommunityIds } from '../places';
import { residentRequests } from './tables';

/** The resident's own requests (a consented proxy acts as the elder, so `userId` is the elder). */
export const requestOwn = definePolicy('requests.own', (db, actor, list) =>
  db
    .select({ id: residentRequests.id })
    .from(residentRequests)
    .where(and(inArray(residentRequests.id, list), eq(residentRequests.residentId, actor.userId))),
);

/** Staff handle the requests of the communities they run. */
export const requestStaff = definePolicy('requests.staff', (db, actor, list) =>
  db
    .select({ id: residentRequests.id })
    .from(residentRequests)
    .where(
      and(
        inArray(residentRequests.id, list),
        inArray(residentRequests.communityId, staffCommunityIds(db, actor.actorId)),
      ),
    ),
);

/**
 * A shop sees a request only while it is the handler: re-dispatched elsewhere, the resident's
 * details are no longer its business.
 */
export const requestMerchant = definePolicy('requests.merchant', (db, actor, list) =>
  db
    .select({ id: residentRequests.id })
    .from(residentRequests)
    .where(
      and(
        inArray(residentRequests.id, list),
        inArray(residentRequests.handlerMerchantId, shopsOwnedBy(db, actor.actorId)),
      ),
    ),
);

/** Staff set the time limits and the lead of the communities they run. */
export const communityStaff = definePolicy('requests.community.staff', async (db, actor, list) =>
  (await staffCommunityIds(db, actor.actorId)).filter((r) => list.includes(r.id)),
);
