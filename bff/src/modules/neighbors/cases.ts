import { and, eq } from 'drizzle-orm';
import { neighborContentFlow, PAGES, type TargetType } from 'shared';
import type { Db, DbOrTx } from '../../db/client';
import { advance } from '../../db/flow-update';
import { conflict } from '../../http/errors';
import { notify } from '../notifications';
import { staffOf } from '../places';
import { moderationCases, neighborComments, neighborPosts } from './tables';

type CaseRow = typeof moderationCases.$inferSelect;

export const postLink = (postId: string) => `${PAGES.neighborPost}?id=${postId}`;

/**
 * Opens an entry in staff's review queue, in the caller's transaction, and tells the community's
 * staff. The partial unique index keeps one open entry per post or comment: a second cause while
 * one is open joins it (returns null, nobody is told twice).
 */
export async function openCase(
  tx: DbOrTx,
  input: Pick<CaseRow, 'communityId' | 'targetType' | 'targetId' | 'postId' | 'cause'> & {
    checkLabel?: string | null;
    at: Date;
  },
): Promise<CaseRow | null> {
  const [row] = await tx
    .insert(moderationCases)
    .values({
      communityId: input.communityId,
      targetType: input.targetType,
      targetId: input.targetId,
      postId: input.postId,
      cause: input.cause,
      checkLabel: input.checkLabel ?? null,
      createdAt: input.at,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return null;
  const what = input.targetType === 'post' ? '动态' : '评论';
  for (const staffId of await staffOf(tx, input.communityId))
    await notify(tx, {
      userId: staffId,
      kind: 'neighbors.review',
      title: '邻里有内容待审核',
      body: `有一条${what}进入审核队列`,
      link: PAGES.officeModeration,
      dedupeKey: `neighbors.review:${row.id}`,
    });
  return row;
}

/**
 * The author's soft delete of their post or comment, and the withdrawal of any open review entry
 * for it (for a post, also those of its comments: they vanish with it). A removed one stays as
 * staff left it.
 */
export async function softDelete(
  db: Db,
  type: TargetType,
  id: string,
  authorId: string,
  now: Date,
): Promise<{ ok: true }> {
  const table = type === 'post' ? neighborPosts : neighborComments;
  await db.transaction(async (tx) => {
    const [gone] = await advance(
      tx,
      table,
      table.status,
      neighborContentFlow,
      'delete',
      and(eq(table.id, id), eq(table.authorId, authorId)),
      { deletedAt: now },
    );
    if (!gone) throw conflict('NEIGHBOR_POST_REMOVED', 'Staff removed this: it stays as they left it');
    await tx
      .update(moderationCases)
      .set({ status: 'withdrawn', decidedAt: now })
      .where(
        and(
          type === 'post'
            ? eq(moderationCases.postId, id)
            : and(eq(moderationCases.targetType, 'comment'), eq(moderationCases.targetId, id)),
          eq(moderationCases.status, 'open'),
        ),
      );
  });
  return { ok: true };
}
