import { and, eq, inArray } from 'drizzle-orm';
import { definePolicy } from '../../access/require-access';
import { staffCommunityIds } from '../places';
import { emergencyCalls, emergencyEvents } from './tables';

/** The elder's own calls (a consented family member acts as the elder, so `userId` is the elder). */
export const emergencyOwn = definePolicy('volunteers.emergency.own', (db, actor, list) =>
  db
    .select({ id: emergencyCalls.id })
    .from(emergencyCalls)
    .where(and(inArray(emergencyCalls.id, list), eq(emergencyCalls.elderId, actor.userId))),
);

/** A volunteer may act on a call only if they were told of it (by the first call or a round). */
export const emergencyTold = definePolicy('volunteers.emergency.told', (db, actor, list) =>
  db
    .selectDistinct({ id: emergencyEvents.callId })
    .from(emergencyEvents)
    .where(
      and(
        inArray(emergencyEvents.callId, list),
        eq(emergencyEvents.kind, 'told'),
        eq(emergencyEvents.userId, actor.actorId),
      ),
    ),
);

/** Staff handle the calls of the communities they run. */
export const emergencyStaff = definePolicy('volunteers.emergency.staff', (db, actor, list) =>
  db
    .select({ id: emergencyCalls.id })
    .from(emergencyCalls)
    .where(
      and(
        inArray(emergencyCalls.id, list),
        inArray(emergencyCalls.communityId, staffCommunityIds(db, actor.actorId)),
      ),
    ),
);
