import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { buildings, compounds, households, memberships, staffCommunities } from '../db/schema';

/**
 * What a staff member's reach is: the communities they run. Subqueries, so callers (the access
 * policies, the staff lists) filter by them in the database, in one place.
 */

/** Ids of the households in the communities a staff member runs. */
export function householdsRunBy(db: DbOrTx, staffId: string) {
  return db
    .select({ id: households.id })
    .from(households)
    .innerJoin(buildings, eq(buildings.id, households.buildingId))
    .innerJoin(compounds, eq(compounds.id, buildings.compoundId))
    .innerJoin(
      staffCommunities,
      and(eq(staffCommunities.communityId, compounds.communityId), eq(staffCommunities.userId, staffId)),
    );
}

/** Ids of the verified residents of those communities. */
export function residentsRunBy(db: DbOrTx, staffId: string) {
  return db
    .selectDistinct({ id: memberships.userId })
    .from(memberships)
    .where(
      and(eq(memberships.status, 'approved'), inArray(memberships.householdId, householdsRunBy(db, staffId))),
    );
}

/** Ids of the communities a staff member runs. */
export function staffCommunityIds(db: DbOrTx, staffId: string) {
  return db
    .select({ id: staffCommunities.communityId })
    .from(staffCommunities)
    .where(eq(staffCommunities.userId, staffId));
}
