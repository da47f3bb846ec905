import { and, count, desc, eq, ilike, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { CreatePostBody, LikeResult, Post, PostPage, PostTopic, UpdatePostBody } from 'shared';
import type { Actor } from '../../access/actor';
import type { DbOrTx } from '../../db/client';
import type { AppDeps } from '../../deps';
import { olderThan, pageOf } from '../../http/cursor';
import { badRequest, conflict, notFound } from '../../http/errors';
import { enqueue } from '../../jobs/outbox';
import { peopleByIds } from '../identity';
import { memberCompounds } from '../memberships';
import { escapeLike, listedShops, shopsByIds } from '../merchants';
import { attachedImages, attachUploads } from '../uploads';
import { requireMember, requireReader, visiblePost } from './access';
import { openCase, softDelete } from './cases';
import { type CheckOutcome, checkContent, POST_SCENE } from './content-check';
import { imageCheckJob } from './jobs';
import { neighborComments, neighborLikes, neighborPosts } from './tables';
import { checkNewMemberContent, enforceDailyLimit, newUntil } from './trust';

export type PostRow = typeof neighborPosts.$inferSelect;
type Deps = Pick<AppDeps, 'db' | 'config' | 'clock' | 'wechat'>;

/** A name to show for a person who has not set one. */
export const shownName = (name: string | undefined) => (name?.trim() ? name : '邻居');

/** Published comments whose thread is still shown (a reply under a deleted comment vanishes with it). */
async function commentCounts(db: DbOrTx, postIds: string[]): Promise<Map<string, number>> {
  if (postIds.length === 0) return new Map();
  const parent = alias(neighborComments, 'parent');
  const rows = await db
    .select({ postId: neighborComments.postId, n: count() })
    .from(neighborComments)
    .leftJoin(parent, eq(parent.id, neighborComments.parentId))
    .where(
      and(
        inArray(neighborComments.postId, postIds),
        eq(neighborComments.status, 'published'),
        or(isNull(neighborComments.parentId), eq(parent.status, 'published')),
      ),
    )
    .groupBy(neighborComments.postId);
  return new Map(rows.map((r) => [r.postId, r.n]));
}

/** Where each author lives in the post's community, keyed `community:author`. */
async function authorCompounds(db: DbOrTx, rows: PostRow[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const communityId of new Set(rows.map((r) => r.communityId))) {
    const authors = rows.filter((r) => r.communityId === communityId).map((r) => r.authorId);
    for (const [userId, name] of await memberCompounds(db, communityId, authors))
      out.set(`${communityId}:${userId}`, name);
  }
  return out;
}

/** Posts as this viewer sees them: names, shop, signed images, their own like. Text stays text. */
export async function postViews(db: DbOrTx, viewerId: string, rows: PostRow[]): Promise<Post[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [people, compounds, shops, images, liked, comments] = await Promise.all([
    peopleByIds(
      db,
      rows.map((r) => r.authorId),
    ),
    authorCompounds(db, rows),
    shopsByIds(
      db,
      rows.flatMap((r) => (r.merchantId ? [r.merchantId] : [])),
    ),
    attachedImages(db, 'post', new Map(rows.map((r) => [r.id, r.imageIds]))),
    db
      .select({ postId: neighborLikes.postId })
      .from(neighborLikes)
      .where(and(eq(neighborLikes.userId, viewerId), inArray(neighborLikes.postId, ids))),
    commentCounts(db, ids),
  ]);
  const likedSet = new Set(liked.map((l) => l.postId));
  return rows.map((r) => {
    const mine = r.authorId === viewerId;
    const shop = r.merchantId ? shops.get(r.merchantId) : undefined;
    return {
      id: r.id,
      communityId: r.communityId,
      topic: r.topic,
      title: r.title,
      text: r.body,
      images: images.get(r.id) ?? [],
      merchant: shop ? { id: shop.id, name: shop.name } : null,
      author: {
        id: r.authorId,
        name: shownName(people.get(r.authorId)?.name),
        compound: compounds.get(`${r.communityId}:${r.authorId}`) ?? null,
      },
      likeCount: r.likeCount,
      commentCount: comments.get(r.id) ?? 0,
      likedByMe: likedSet.has(r.id),
      mine,
      status: r.status,
      moderation:
        mine && (r.status === 'hidden' || r.status === 'removed')
          ? { reason: r.moderationReason, at: r.moderatedAt?.toISOString() ?? null }
          : null,
      createdAt: r.createdAt.toISOString(),
      editedAt: r.editedAt?.toISOString() ?? null,
    };
  });
}

async function page(db: DbOrTx, viewerId: string, rows: PostRow[], limit: number): Promise<PostPage> {
  const { page: items, nextCursor } = pageOf(rows, limit);
  return { items: await postViews(db, viewerId, items), nextCursor };
}

const newestFirst = [desc(neighborPosts.createdAt), desc(neighborPosts.id)];

/**
 * Written as a literal, not a parameter: the feed's indexes are partial (published posts only),
 * and Postgres can match a partial index's predicate only against a constant.
 */
const published = () => sql`${neighborPosts.status} = 'published'`;

/** The community's feed, newest first; a (created_at, id) cursor is stable while posts arrive. */
export async function feed(
  deps: Deps,
  actor: Actor,
  q: { communityId: string; topic?: PostTopic; cursor?: string; limit: number },
): Promise<PostPage> {
  const rows = await whileReaderChecked(deps.db, actor, q.communityId, () => feedRows(deps.db, q));
  return page(deps.db, actor.userId, rows, q.limit);
}

/**
 * Reads a page while membership is checked (nothing of it is shown unless the check passes). The
 * read starts inside a promise, so a query that cannot even be built (a bad cursor) rejects like
 * the check does instead of throwing past it and leaving the check's rejection unhandled.
 */
async function whileReaderChecked<T>(
  db: DbOrTx,
  actor: Actor,
  communityId: string,
  read: () => PromiseLike<T>,
): Promise<T> {
  const [, rows] = await Promise.all([requireReader(db, actor, communityId), Promise.resolve().then(read)]);
  return rows;
}

/** The feed's query alone (the bench runs it bare too). */
export function feedRows(
  db: DbOrTx,
  q: { communityId: string; topic?: PostTopic; cursor?: string; limit: number; search?: string },
) {
  return db
    .select()
    .from(neighborPosts)
    .where(
      and(
        eq(neighborPosts.communityId, q.communityId),
        published(),
        q.topic ? eq(neighborPosts.topic, q.topic) : undefined,
        q.search ? ilike(neighborPosts.searchText, `%${escapeLike(q.search)}%`) : undefined,
        olderThan(neighborPosts, q.cursor),
      ),
    )
    .orderBy(...newestFirst)
    .limit(q.limit + 1);
}

/**
 * Substring search over title and text. `search_text ILIKE '%q%'` is served by the trigram GIN
 * index for phrases of 3 or more characters; 1 and 2 characters yield no trigram, so Postgres
 * walks the community's feed index newest first and filters, stopping at a page (fast for common
 * characters, a scan of the community's posts for a rare one).
 */
export async function search(
  deps: Deps,
  actor: Actor,
  q: { communityId: string; q: string; topic?: PostTopic; cursor?: string; limit: number },
): Promise<PostPage> {
  const rows = await whileReaderChecked(deps.db, actor, q.communityId, () =>
    feedRows(deps.db, { ...q, search: q.q }),
  );
  return page(deps.db, actor.userId, rows, q.limit);
}

/** My own posts (all but deleted), so I can see what was hidden or removed and why. */
export async function myPosts(
  deps: Deps,
  actor: Actor,
  q: { communityId?: string; cursor?: string; limit: number },
): Promise<PostPage> {
  const rows = await deps.db
    .select()
    .from(neighborPosts)
    .where(
      and(
        eq(neighborPosts.authorId, actor.userId),
        ne(neighborPosts.status, 'deleted'),
        q.communityId ? eq(neighborPosts.communityId, q.communityId) : undefined,
        olderThan(neighborPosts, q.cursor),
      ),
    )
    .orderBy(...newestFirst)
    .limit(q.limit + 1);
  return page(deps.db, actor.userId, rows, q.limit);
}

/** A shop's recommendations: the published 推荐 posts naming it, for anyone signed in (惠生活). */
export async function recommendations(
  deps: Deps,
  actor: Actor,
  merchantId: string,
  q: { cursor?: string; limit: number },
): Promise<PostPage> {
  if (!(await shopsByIds(deps.db, [merchantId])).has(merchantId)) throw notFound('Merchant');
  const rows = await deps.db
    .select()
    .from(neighborPosts)
    .where(and(eq(neighborPosts.merchantId, merchantId), published(), olderThan(neighborPosts, q.cursor)))
    .orderBy(...newestFirst)
    .limit(q.limit + 1);
  return page(deps.db, actor.userId, rows, q.limit);
}

export async function getPost(deps: Deps, actor: Actor, id: string): Promise<Post> {
  const row = await visiblePost(deps.db, actor, id);
  return (await postViews(deps.db, actor.userId, [row]))[0]!;
}

async function requireListedShop(db: DbOrTx, merchantId: string, communityId: string): Promise<void> {
  const listed = await listedShops(db, communityId);
  if (!listed.some((s) => s.id === merchantId))
    throw badRequest('NEIGHBOR_MERCHANT_NOT_LISTED', 'That shop is not listed in this community', [
      { path: 'body.merchantId', message: 'is not a listed shop of this community' },
    ]);
}

/** A review the content check asked for, opened in the writing transaction. */
export async function openReview(
  tx: DbOrTx,
  outcome: CheckOutcome,
  target: { communityId: string; targetType: 'post' | 'comment'; targetId: string; postId: string; at: Date },
): Promise<void> {
  if (!outcome.review) return;
  await openCase(tx, { ...target, cause: outcome.review, checkLabel: outcome.label });
}

/**
 * A verified member publishes. Order matters: the cheap refusals first (membership, trust,
 * shop), then the content check (a network call, outside the transaction), then one transaction
 * that takes the author's lock, re-counts a new member's allowance, writes the post, attaches the
 * images (only the author's own unused `post` uploads) and opens a review entry if asked.
 */
export async function createPost(deps: Deps, actor: Actor, body: CreatePostBody): Promise<Post> {
  const { db, config } = deps;
  const now = deps.clock.now();
  const since = await requireMember(db, actor.userId, body.communityId);
  const title = body.title?.trim() ? body.title : null;
  const isNew = (await newUntil(db, config, actor.userId, body.communityId, since, now)) !== null;
  if (isNew) checkNewMemberContent(config, { text: body.text, title, imageCount: body.imageIds.length });
  if (body.merchantId) await requireListedShop(db, body.merchantId, body.communityId);
  const outcome = await checkContent(deps, {
    communityId: body.communityId,
    authorId: actor.userId,
    text: body.text,
    title,
    scene: POST_SCENE,
    path: 'body.text',
  });
  const row = await db.transaction(async (tx) => {
    if (isNew) await enforceDailyLimit(tx, config, 'post', actor.userId, body.communityId, now);
    const [post] = await tx
      .insert(neighborPosts)
      .values({
        communityId: body.communityId,
        authorId: actor.userId,
        topic: body.topic,
        title,
        body: body.text,
        merchantId: body.merchantId ?? null,
        imageIds: body.imageIds,
        createdAt: now,
      })
      .returning();
    await attachUploads(tx, {
      ownerId: actor.userId,
      ids: body.imageIds,
      to: { type: 'post', id: post!.id },
      path: 'body.imageIds',
    });
    if (body.imageIds.length) await enqueue(tx, imageCheckJob, { postId: post!.id, imageIds: body.imageIds });
    await openReview(tx, outcome, {
      communityId: post!.communityId,
      targetType: 'post',
      targetId: post!.id,
      postId: post!.id,
      at: now,
    });
    return post!;
  });
  return (await postViews(db, actor.userId, [row]))[0]!;
}

/** The author's own post (any state but deleted), or 404. */
async function ownPost(db: DbOrTx, actor: Actor, id: string): Promise<PostRow> {
  const [row] = await db
    .select()
    .from(neighborPosts)
    .where(
      and(
        eq(neighborPosts.id, id),
        eq(neighborPosts.authorId, actor.userId),
        ne(neighborPosts.status, 'deleted'),
      ),
    );
  if (!row) throw notFound();
  return row;
}

/**
 * The author edits text, title, topic, shop or images; the edit passes the same rules as a new
 * post (trust, word list, WeChat). A removed post stays as staff left it.
 */
export async function updatePost(deps: Deps, actor: Actor, id: string, body: UpdatePostBody): Promise<Post> {
  const { db, config } = deps;
  const now = deps.clock.now();
  const row = await ownPost(db, actor, id);
  if (row.status === 'removed')
    throw conflict('NEIGHBOR_POST_REMOVED', 'Staff removed this post: it cannot be edited');
  const since = await requireMember(db, actor.userId, row.communityId);
  const topic = body.topic ?? row.topic;
  const text = body.text ?? row.body;
  const title = body.title === undefined ? row.title : body.title?.trim() ? body.title : null;
  const imageIds = body.imageIds ?? row.imageIds;
  const merchantId =
    topic !== 'recommend' ? null : body.merchantId === undefined ? row.merchantId : body.merchantId;
  if (body.merchantId && topic !== 'recommend')
    throw badRequest('VALIDATION_FAILED', 'Some fields are invalid', [
      { path: 'body.merchantId', message: 'only a 推荐 post names a shop' },
    ]);
  if ((await newUntil(db, config, actor.userId, row.communityId, since, now)) !== null)
    checkNewMemberContent(config, { text, title, imageCount: imageIds.length });
  if (merchantId && merchantId !== row.merchantId) await requireListedShop(db, merchantId, row.communityId);
  const textChanged = text !== row.body || title !== row.title;
  const outcome: CheckOutcome = textChanged
    ? await checkContent(deps, {
        communityId: row.communityId,
        authorId: actor.userId,
        text,
        title,
        scene: POST_SCENE,
        path: body.text === undefined ? 'body.title' : 'body.text',
      })
    : { review: null };
  const updated = await db.transaction(async (tx) => {
    const [u] = await tx
      .update(neighborPosts)
      .set({ topic, title, body: text, imageIds, merchantId, editedAt: now })
      .where(
        and(
          eq(neighborPosts.id, id),
          eq(neighborPosts.authorId, actor.userId),
          inArray(neighborPosts.status, ['published', 'hidden']),
        ),
      )
      .returning();
    if (!u) throw conflict('NEIGHBOR_POST_REMOVED', 'Staff removed this post: it cannot be edited');
    // Images already on this post stay attached; the new ones must be the author's free uploads.
    const added = imageIds.filter((i) => !row.imageIds.includes(i));
    await attachUploads(tx, {
      ownerId: actor.userId,
      ids: added,
      to: { type: 'post', id },
      path: 'body.imageIds',
    });
    if (added.length) await enqueue(tx, imageCheckJob, { postId: id, imageIds: added });
    await openReview(tx, outcome, {
      communityId: u.communityId,
      targetType: 'post',
      targetId: id,
      postId: id,
      at: now,
    });
    return u;
  });
  return (await postViews(db, actor.userId, [updated]))[0]!;
}

/** The author's soft delete: the post and its comments vanish; an open review entry is withdrawn. */
export async function deletePost(deps: Deps, actor: Actor, id: string): Promise<{ ok: true }> {
  await ownPost(deps.db, actor, id);
  return softDelete(deps.db, 'post', id, actor.userId, deps.clock.now());
}

/**
 * One like per person: the primary key decides a race, and the counter moves in the same
 * transaction only when a row was actually inserted (or deleted), so 20 taps at once count once.
 */
export async function setLike(deps: Deps, actor: Actor, id: string, liked: boolean): Promise<LikeResult> {
  const { db } = deps;
  const post = await visiblePost(db, actor, id);
  if (post.status !== 'published') throw notFound();
  await requireMember(db, actor.userId, post.communityId);
  return db.transaction(async (tx) => {
    const changed = liked
      ? await tx
          .insert(neighborLikes)
          .values({ postId: id, userId: actor.userId, createdAt: deps.clock.now() })
          .onConflictDoNothing()
          .returning({ postId: neighborLikes.postId })
      : await tx
          .delete(neighborLikes)
          .where(and(eq(neighborLikes.postId, id), eq(neighborLikes.userId, actor.userId)))
          .returning({ postId: neighborLikes.postId });
    const delta = changed.length === 0 ? 0 : liked ? 1 : -1;
    const [row] = await tx
      .update(neighborPosts)
      .set({ likeCount: sql`${neighborPosts.likeCount} + ${delta}` })
      .where(eq(neighborPosts.id, id))
      .returning({ likeCount: neighborPosts.likeCount });
    return { liked, likeCount: row!.likeCount };
  });
}
