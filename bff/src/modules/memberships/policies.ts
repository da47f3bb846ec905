import { and, inArray } from 'drizzle-orm';
import { definePolicy } from '../../access/require-access';
import { householdsRunBy } from '../places';
import { memberships } from './tables';

/** Staff review requests to join households in the communities they run. */
export const membershipReview = definePolicy('membership.review', (db, actor, list) =>
  db
    .select({ id: memberships.id })
    .from(memberships)
    .where(
      and(
        inArray(memberships.id, list),
        inArray(memberships.householdId, householdsRunBy(db, actor.actorId)),
      ),
    ),
);
