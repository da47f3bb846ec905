import { and, asc, eq, gt, inArray, isNull, ne, or } from 'drizzle-orm';
import { type Comment, type CommentPage, codePoints, type Reply } from 'shared';
import type { Actor } from '../../access/actor';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { decodeTimeCursor } from '../../http/cursor';
import { conflict, invalidField, notFound } from '../../http/errors';
import { peopleByIds } from '../identity';
import { notify } from '../notifications';
import { actionablePost, requireMember, visiblePost } from './access';
import { postLink, softDelete } from './cases';
import { COMMENT_SCENE, checkContent } from './content-check';
import { openReview, shownName } from './posts';
import { neighborComments } from './tables';
import { checkNewMemberContent, enforceDailyLimit, newUntil } from './trust';

type Row = typeof neighborComments.$inferSelect;
type Deps = Pick<AppDeps, 'db' | 'config' | 'clock' | 'wechat'>;

/** Replies shown under one comment; the rest are counted (replyCount) for "more replies". */
const REPLIES_SHOWN = 50;

async function replyViews(db: DbOrTx, viewerId: string, rows: Row[]): Promise<Reply[]> {
  const people = await peopleByIds(
    db,
    rows.flatMap((r) => (r.replyToId ? [r.authorId, r.replyToId] : [r.authorId])),
  );
  return rows.map((r) => {
    const mine = r.authorId === viewerId;
    return {
      id: r.id,
      postId: r.postId,
      parentId: r.parentId,
      replyTo: r.replyToId ? { id: r.replyToId, name: shownName(people.get(r.replyToId)?.name) } : null,
      author: { id: r.authorId, name: shownName(people.get(r.authorId)?.name) },
      text: r.body,
      status: r.status,
      mine,
      moderation:
        mine && (r.status === 'hidden' || r.status === 'removed')
          ? { reason: r.moderationReason, at: r.moderatedAt?.toISOString() ?? null }
          : null,
      createdAt: r.createdAt.toISOString(),
      editedAt: r.editedAt?.toISOString() ?? null,
    };
  });
}

/** What a viewer sees of a thread: published comments, and their own in any state but deleted. */
const shownTo = (viewerId: string) =>
  or(
    eq(neighborComments.status, 'published'),
    and(eq(neighborComments.authorId, viewerId), ne(neighborComments.status, 'deleted')),
  );

const encode = (r: Row) => Buffer.from(`${r.createdAt.toISOString()}|${r.id}`).toString('base64url');

/** Top-level comments oldest first (a conversation reads down), each with its replies. */
export async function listComments(
  deps: Deps,
  actor: Actor,
  postId: string,
  q: { cursor?: string; limit: number },
): Promise<CommentPage> {
  const { db } = deps;
  await visiblePost(db, actor, postId);
  const c = q.cursor ? decodeTimeCursor(q.cursor) : null;
  const tops = await db
    .select()
    .from(neighborComments)
    .where(
      and(
        eq(neighborComments.postId, postId),
        isNull(neighborComments.parentId),
        shownTo(actor.userId),
        c
          ? or(
              gt(neighborComments.createdAt, c.at),
              and(eq(neighborComments.createdAt, c.at), gt(neighborComments.id, c.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(neighborComments.createdAt), asc(neighborComments.id))
    .limit(q.limit + 1);
  const pageRows = tops.slice(0, q.limit);
  const replies = pageRows.length
    ? await db
        .select()
        .from(neighborComments)
        .where(
          and(
            inArray(
              neighborComments.parentId,
              pageRows.map((r) => r.id),
            ),
            shownTo(actor.userId),
          ),
        )
        .orderBy(asc(neighborComments.createdAt), asc(neighborComments.id))
    : [];
  const [topViews, replyList] = await Promise.all([
    replyViews(db, actor.userId, pageRows),
    replyViews(db, actor.userId, replies),
  ]);
  const items: Comment[] = topViews.map((t) => {
    const mine = replyList.filter((r) => r.parentId === t.id);
    return { ...t, replies: mine.slice(0, REPLIES_SHOWN), replyCount: mine.length };
  });
  return { items, nextCursor: tops.length > q.limit ? encode(pageRows[pageRows.length - 1]!) : null };
}

/**
 * A verified member comments, or replies to a comment. A reply to a reply joins the same thread
 * (one level) and names whom it answers. The post's author (or the one replied to) is told.
 */
export async function createComment(
  deps: Deps,
  actor: Actor,
  postId: string,
  body: { text: string; parentId?: string },
): Promise<Reply> {
  const { db, config } = deps;
  const now = deps.clock.now();
  const post = await actionablePost(db, actor, postId);
  const since = await requireMember(db, actor.userId, post.communityId);
  let parentId: string | null = null;
  let replyToId: string | null = null;
  let parentAuthor: string | null = null;
  if (body.parentId) {
    const [parent] = await db
      .select()
      .from(neighborComments)
      .where(
        and(
          eq(neighborComments.id, body.parentId),
          eq(neighborComments.postId, postId),
          eq(neighborComments.status, 'published'),
        ),
      );
    if (!parent) throw invalidField('body.parentId', 'is not a comment on this post');
    parentId = parent.parentId ?? parent.id;
    replyToId = parent.parentId ? parent.authorId : null;
    parentAuthor = parent.authorId;
  }
  const isNew = (await newUntil(db, config, actor.userId, post.communityId, since, now)) !== null;
  if (isNew) checkNewMemberContent(config, { text: body.text, imageCount: 0 });
  const outcome = await checkContent(deps, {
    communityId: post.communityId,
    authorId: actor.userId,
    text: body.text,
    scene: COMMENT_SCENE,
    path: 'body.text',
  });
  const row = await db.transaction(async (tx) => {
    if (isNew) await enforceDailyLimit(tx, config, 'comment', actor.userId, post.communityId, now);
    const [c] = await tx
      .insert(neighborComments)
      .values({
        postId,
        communityId: post.communityId,
        parentId,
        replyToId,
        authorId: actor.userId,
        body: body.text,
        createdAt: now,
      })
      .returning();
    await openReview(tx, outcome, {
      communityId: post.communityId,
      targetType: 'comment',
      targetId: c!.id,
      postId,
      at: now,
    });
    const told = parentAuthor ?? post.authorId;
    if (told !== actor.userId)
      await notify(tx, {
        userId: told,
        kind: 'neighbors.comment',
        title: parentAuthor ? '有邻居回复了你' : '有邻居评论了你的动态',
        body: codePoints(body.text) > 40 ? `${[...body.text].slice(0, 40).join('')}…` : body.text,
        link: postLink(postId),
        dedupeKey: `neighbors.comment:${c!.id}`,
      });
    return c!;
  });
  return (await replyViews(db, actor.userId, [row]))[0]!;
}

async function ownComment(db: DbOrTx, actor: Actor, id: string): Promise<Row> {
  const [row] = await db
    .select()
    .from(neighborComments)
    .where(
      and(
        eq(neighborComments.id, id),
        eq(neighborComments.authorId, actor.userId),
        ne(neighborComments.status, 'deleted'),
      ),
    );
  if (!row) throw notFound();
  // On a post that is gone (deleted, or not visible), the comment is gone too.
  await visiblePost(db, actor, row.postId);
  return row;
}

export async function updateComment(deps: Deps, actor: Actor, id: string, text: string): Promise<Reply> {
  const { db, config } = deps;
  const now = deps.clock.now();
  const row = await ownComment(db, actor, id);
  if (row.status === 'removed')
    throw conflict('NEIGHBOR_POST_REMOVED', 'Staff removed this comment: it cannot be edited');
  const since = await requireMember(db, actor.userId, row.communityId);
  if ((await newUntil(db, config, actor.userId, row.communityId, since, now)) !== null)
    checkNewMemberContent(config, { text, imageCount: 0 });
  const outcome = await checkContent(deps, {
    communityId: row.communityId,
    authorId: actor.userId,
    text,
    scene: COMMENT_SCENE,
    path: 'body.text',
  });
  const updated = await db.transaction(async (tx) => {
    const [u] = await tx
      .update(neighborComments)
      .set({ body: text, editedAt: now })
      .where(and(eq(neighborComments.id, id), inArray(neighborComments.status, ['published', 'hidden'])))
      .returning();
    if (!u) throw conflict('NEIGHBOR_POST_REMOVED', 'Staff removed this comment: it cannot be edited');
    await openReview(tx, outcome, {
      communityId: u.communityId,
      targetType: 'comment',
      targetId: id,
      postId: u.postId,
      at: now,
    });
    return u;
  });
  return (await replyViews(db, actor.userId, [updated]))[0]!;
}

export async function deleteComment(deps: Deps, actor: Actor, id: string): Promise<{ ok: true }> {
  await ownComment(deps.db, actor, id);
  return softDelete(deps.db, 'comment', id, actor.userId, deps.clock.now());
}
