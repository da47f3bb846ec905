import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Group } from 'shared';
import type { Actor } from '../../access/actor';
import { requireAccess } from '../../access/require-access';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { conflict, describeConstraint } from '../../http/errors';
import { audit } from '../audit';
import { staffCommunityIds } from '../places';
import { staffCommunity } from '../volunteers';
import { auditIfProxy, memberCommunities } from './access';
import { groupPolicies } from './policies';
import { groupMembers, interestGroups } from './tables';

type Deps = Pick<AppDeps, 'db' | 'clock'>;
type Row = typeof interestGroups.$inferSelect;

describeConstraint(
  'community_groups_name',
  'GROUP_NAME_TAKEN',
  'The community already has a group of this name',
);

async function groupViews(db: DbOrTx, rows: Row[], userId: string | null): Promise<Group[]> {
  const ids = rows.map((r) => r.id);
  const joined =
    userId && ids.length
      ? new Set(
          (
            await db
              .select({ id: groupMembers.groupId })
              .from(groupMembers)
              .where(and(eq(groupMembers.userId, userId), inArray(groupMembers.groupId, ids)))
          ).map((r) => r.id),
        )
      : new Set<string>();
  return rows.map((g) => ({
    id: g.id,
    communityId: g.communityId,
    name: g.name,
    description: g.description,
    memberCount: g.memberCount,
    joined: joined.has(g.id),
    archived: g.archivedAt !== null,
    createdAt: g.createdAt.toISOString(),
  }));
}

async function groupRow(db: DbOrTx, id: string): Promise<Row> {
  const [row] = await db.select().from(interestGroups).where(eq(interestGroups.id, id));
  if (!row) throw new Error(`group ${id} vanished`);
  return row;
}

const oneView = async (db: DbOrTx, row: Row, userId: string | null) =>
  (await groupViews(db, [row], userId))[0]!;

// ---- residents ----------------------------------------------------------------------------------

/** The live groups of the caller's communities (or only those they joined), by name. */
export async function listGroups(deps: Deps, actor: Actor, q: { mine?: boolean }) {
  const communities = await memberCommunities(deps.db, actor);
  const rows = await deps.db
    .select()
    .from(interestGroups)
    .where(
      and(
        inArray(interestGroups.communityId, communities),
        q.mine
          ? inArray(
              interestGroups.id,
              deps.db
                .select({ id: groupMembers.groupId })
                .from(groupMembers)
                .where(eq(groupMembers.userId, actor.userId)),
            )
          : sql`${interestGroups.archivedAt} IS NULL`,
      ),
    )
    .orderBy(asc(interestGroups.name))
    .limit(200);
  return { items: await groupViews(deps.db, rows, actor.userId) };
}

export async function memberGroup(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, groupPolicies.member, id);
  return oneView(deps.db, await groupRow(deps.db, id), actor.userId);
}

/**
 * Joining and leaving are idempotent and the count cannot drift: the count moves in the same
 * transaction as the membership row, and only when that row was really inserted or deleted (the
 * primary key decides a double tap or two devices at once).
 */
export async function joinGroup(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, groupPolicies.member, id);
  return deps.db.transaction(async (tx) => {
    const g = await groupRow(tx, id);
    if (g.archivedAt) throw conflict('GROUP_ARCHIVED', 'This group has been closed');
    const [added] = await tx
      .insert(groupMembers)
      .values({ groupId: id, userId: actor.userId, joinedAt: deps.clock.now() })
      .onConflictDoNothing()
      .returning();
    if (added) await auditIfProxy(tx, actor, 'group.joined', { type: 'group', id });
    return oneView(tx, added ? await bump(tx, id, 1) : g, actor.userId);
  });
}

export async function leaveGroup(deps: Deps, actor: Actor, id: string) {
  await requireAccess(deps.db, actor, groupPolicies.member, id);
  return deps.db.transaction(async (tx) => {
    const [gone] = await tx
      .delete(groupMembers)
      .where(and(eq(groupMembers.groupId, id), eq(groupMembers.userId, actor.userId)))
      .returning();
    if (gone) await auditIfProxy(tx, actor, 'group.left', { type: 'group', id });
    return oneView(tx, gone ? await bump(tx, id, -1) : await groupRow(tx, id), actor.userId);
  });
}

async function bump(tx: DbOrTx, id: string, by: 1 | -1): Promise<Row> {
  const [row] = await tx
    .update(interestGroups)
    .set({ memberCount: sql`${interestGroups.memberCount} + ${by}` })
    .where(eq(interestGroups.id, id))
    .returning();
  return row!;
}

// ---- staff --------------------------------------------------------------------------------------

export async function staffGroupList(deps: Deps, actor: Actor) {
  const rows = await deps.db
    .select()
    .from(interestGroups)
    .where(inArray(interestGroups.communityId, staffCommunityIds(deps.db, actor.actorId)))
    .orderBy(asc(interestGroups.name))
    .limit(500);
  return { items: await groupViews(deps.db, rows, null) };
}

/**
 * Staff set groups up (a resident asks the office for one): a group hosts activities in the
 * community's name, so someone accountable opens it.
 */
export async function createGroup(
  deps: Deps,
  actor: Actor,
  body: { name: string; description: string; communityId?: string },
) {
  const communityId = await staffCommunity(deps.db, actor, body.communityId);
  return deps.db.transaction(async (tx) => {
    const [g] = await tx
      .insert(interestGroups)
      .values({ communityId, name: body.name, description: body.description, createdBy: actor.actorId })
      .returning();
    await audit(tx, actor, 'group.created', { type: 'group', id: g!.id }, { communityId });
    return oneView(tx, g!, null);
  });
}

export async function updateGroup(
  deps: Deps,
  actor: Actor,
  id: string,
  body: { name?: string; description?: string; archived?: boolean },
) {
  await requireAccess(deps.db, actor, groupPolicies.staff, id);
  return deps.db.transaction(async (tx) => {
    const [g] = await tx
      .update(interestGroups)
      .set({
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.archived !== undefined ? { archivedAt: body.archived ? deps.clock.now() : null } : {}),
      })
      .where(eq(interestGroups.id, id))
      .returning();
    await audit(tx, actor, 'group.updated', { type: 'group', id }, { fields: Object.keys(body) });
    return oneView(tx, g!, null);
  });
}

/** A group of this community, for an activity it hosts (else a 400 on the field). */
export async function groupOfCommunity(db: DbOrTx, groupId: string, communityId: string) {
  const [g] = await db
    .select()
    .from(interestGroups)
    .where(and(eq(interestGroups.id, groupId), eq(interestGroups.communityId, communityId)));
  return g;
}
