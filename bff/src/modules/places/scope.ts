import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { buildings, communities, compounds, households, staffCommunities } from './tables';

/**
 * What a staff member's reach is: the communities they run. Subqueries, so other modules' policies
 * and staff lists filter by them in the database, in one place.
 */

/** Ids of the communities a staff member runs. */
export function staffCommunityIds(db: DbOrTx, staffId: string) {
  return db
    .select({ id: staffCommunities.communityId })
    .from(staffCommunities)
    .where(eq(staffCommunities.userId, staffId));
}

/** The communities a staff member runs, with their names, in name order. */
export function communitiesRunBy(db: DbOrTx, staffId: string) {
  return db
    .select({ id: communities.id, name: communities.name })
    .from(staffCommunities)
    .innerJoin(communities, eq(communities.id, staffCommunities.communityId))
    .where(eq(staffCommunities.userId, staffId))
    .orderBy(communities.name);
}

/** Ids of the compounds in those communities. */
export function compoundsRunBy(db: DbOrTx, staffId: string) {
  return db
    .select({ id: compounds.id })
    .from(compounds)
    .innerJoin(
      staffCommunities,
      and(eq(staffCommunities.communityId, compounds.communityId), eq(staffCommunities.userId, staffId)),
    );
}

/** Ids of the households in those communities. */
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

/** Ids of the households of one community (the community office reaches its members by them). */
export function householdsIn(db: DbOrTx, communityId: string) {
  return db
    .select({ id: households.id })
    .from(households)
    .innerJoin(buildings, eq(buildings.id, households.buildingId))
    .innerJoin(compounds, eq(compounds.id, buildings.compoundId))
    .where(eq(compounds.communityId, communityId));
}
