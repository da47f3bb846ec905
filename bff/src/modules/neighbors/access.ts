import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Actor } from '../../access/actor';
import type { DbOrTx } from '../../db/client';
import { AppError, notFound } from '../../http/errors';
import { membershipsOf } from '../memberships';
import { staffCommunityIds } from '../places';
import { moderationCases, neighborComments, neighborPosts, sensitiveWords } from './tables';

/**
 * The communities a person is a verified member of, each with when they became one (the earliest
 * approval there: trust counts from it). Memberships are the memberships module's; it answers.
 */
export async function memberCommunities(db: DbOrTx, userId: string): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  for (const m of await membershipsOf(db, userId)) {
    if (m.status !== 'approved') continue;
    const since = new Date(m.reviewedAt ?? m.createdAt);
    const known = out.get(m.communityId);
    if (!known || since < known) out.set(m.communityId, since);
  }
  return out;
}

export const notMember = () =>
  new AppError(
    403,
    'NEIGHBOR_NOT_MEMBER',
    'Only verified residents of this community can do this: verify your household first',
  );

/** When the person became a verified member of the community, or 403. */
export async function requireMember(db: DbOrTx, userId: string, communityId: string): Promise<Date> {
  const since = (await memberCommunities(db, userId)).get(communityId);
  if (!since) throw notMember();
  return since;
}

export async function staffRuns(db: DbOrTx, staffId: string, communityId: string): Promise<boolean> {
  const rows = await staffCommunityIds(db, staffId);
  return rows.some((r) => r.id === communityId);
}

/** Who may read a community's posts: its verified members and its staff. */
export async function requireReader(db: DbOrTx, actor: Actor, communityId: string): Promise<void> {
  if ((await memberCommunities(db, actor.userId)).has(communityId)) return;
  if (actor.roles.includes('staff') && (await staffRuns(db, actor.actorId, communityId))) return;
  throw notMember();
}

/**
 * A post as the actor may see it: published ones in the communities they read, and their own in
 * any state but deleted. Anything else is the same 404 as an id that does not exist.
 */
export async function visiblePost(db: DbOrTx, actor: Actor, id: string) {
  const [row] = await db.select().from(neighborPosts).where(eq(neighborPosts.id, id));
  if (!row || row.status === 'deleted') throw notFound();
  if (row.authorId === actor.userId) return row;
  if (row.status !== 'published') throw notFound();
  await requireReader(db, actor, row.communityId).catch(() => {
    throw notFound();
  });
  return row;
}

/** A published post the actor may act on (comment, like, report): a verified member of its community. */
export async function actionablePost(db: DbOrTx, actor: Actor, id: string) {
  const row = await visiblePost(db, actor, id);
  if (row.status !== 'published') throw notFound();
  await requireMember(db, actor.userId, row.communityId);
  return row;
}

/** A comment visible to the actor, on a post visible to them. */
export async function visibleComment(db: DbOrTx, actor: Actor, id: string) {
  const [row] = await db.select().from(neighborComments).where(eq(neighborComments.id, id));
  if (!row || row.status === 'deleted') throw notFound();
  const post = await visiblePost(db, actor, row.postId);
  if (row.authorId !== actor.userId && row.status !== 'published') throw notFound();
  return { comment: row, post };
}

/** Rows of a staff-run table in the communities this staff member runs. */
function staffScoped(db: DbOrTx, actor: Actor, community: PgColumn): SQL {
  return inArray(community, staffCommunityIds(db, actor.actorId));
}

export async function staffCase(db: DbOrTx, actor: Actor, id: string) {
  const [row] = await db
    .select()
    .from(moderationCases)
    .where(and(eq(moderationCases.id, id), staffScoped(db, actor, moderationCases.communityId)));
  if (!row) throw notFound();
  return row;
}

export async function staffWord(db: DbOrTx, actor: Actor, id: string) {
  const [row] = await db
    .select()
    .from(sensitiveWords)
    .where(and(eq(sensitiveWords.id, id), staffScoped(db, actor, sensitiveWords.communityId)));
  if (!row) throw notFound();
  return row;
}

/** Staff of this community, or 404 (a community they do not run is not theirs to ask about). */
export async function requireStaffOf(db: DbOrTx, actor: Actor, communityId: string): Promise<void> {
  if (!(await staffRuns(db, actor.actorId, communityId))) throw notFound('Community');
}
