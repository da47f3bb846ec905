import { and, inArray, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Actor } from '../../access/actor';
import { definePolicy, type Policy } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import { AppError } from '../../http/errors';
import { audit } from '../audit';
import { memberCommunityIds, membershipsOf } from '../memberships';
import { staffCommunityIds } from '../places';

/** A verified membership: the household someone lives in and its community. */
export interface MemberHome {
  householdId: string;
  communityId: string;
  address: string;
}

/** The households the person is a verified member of (an elder's, when family acts for them). */
export async function homesOf(db: DbOrTx, userId: string): Promise<MemberHome[]> {
  return (await membershipsOf(db, userId))
    .filter((m) => m.status === 'approved')
    .map((m) => ({ householdId: m.householdId, communityId: m.communityId, address: m.address }));
}

export const notMember = () =>
  new AppError(
    403,
    'NOT_COMMUNITY_MEMBER',
    'Only verified residents of the community can see this; verify your household first',
  );

/** The communities the caller is a verified member of; none is a 403 that says what to do. */
export async function memberCommunities(db: DbOrTx, actor: Actor): Promise<string[]> {
  const ids = [...new Set((await homesOf(db, actor.userId)).map((h) => h.communityId))];
  if (ids.length === 0) throw notMember();
  return ids;
}

type CommunityTable = PgTable & { id: PgColumn; communityId: PgColumn };

/**
 * The two policies every community-office resource has: verified members of its community may see
 * and use it (the elder's membership, when family acts for them), staff who run its community may
 * manage it. Anything else is 404.
 */
export function communityPolicies(name: string, table: CommunityTable): { member: Policy; staff: Policy } {
  const inCommunities = (db: DbOrTx, list: string[], communities: SQL) =>
    db
      .select({ id: table.id })
      .from(table as PgTable)
      .where(and(inArray(table.id, list), communities)) as unknown as Promise<{ id: string }[]>;
  return {
    // The member's communities are a subquery: the check is one statement, not a read before it.
    member: definePolicy(`community.${name}.member`, (db, actor, list) =>
      inCommunities(db, list, inArray(table.communityId, memberCommunityIds(db, actor.userId))),
    ),
    staff: definePolicy(`community.${name}.staff`, (db, actor, list) =>
      inCommunities(db, list, inArray(table.communityId, staffCommunityIds(db, actor.actorId))),
    ),
  };
}

/**
 * A family member acting for an elder leaves a line in the elder's 代办记录 (the audit log's
 * on-behalf-of rows); the elder acting alone needs none for these everyday steps.
 */
export async function auditIfProxy(
  tx: DbOrTx,
  actor: Actor,
  action: string,
  subject: { type: string; id: string },
) {
  if (actor.onBehalfOf) await audit(tx, actor, action, subject);
}
