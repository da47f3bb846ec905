import { asc, eq, or } from 'drizzle-orm';
import {
  auditLog,
  moderationCases,
  neighborComments,
  neighborLikes,
  neighborPosts,
  neighborReports,
  sensitiveWords,
} from '../../src/db/schema';
import { makeMember } from '../fixtures/neighbors';
import type { Who, WorldBase } from './world';

/**
 * The neighbors domain's resource factories for the foreign-token cases: each makes a real instance (through
 * the API where one exists) and returns its id, its owner and `state()` (everything a refused
 * request could have changed).
 */
export async function neighborMakers<P extends Record<string, Who>>(w: WorldBase<P>) {
  const { t, db, send, done, communityId } = w;
  const staff = (w.people as unknown as { staff: Who }).staff;

  /** Everything a refused call could have changed about a post and what hangs on it. */
  async function postState(postId: string) {
    return {
      post: (await db.select().from(neighborPosts).where(eq(neighborPosts.id, postId)))[0],
      comments: await db
        .select()
        .from(neighborComments)
        .where(eq(neighborComments.postId, postId))
        .orderBy(asc(neighborComments.createdAt)),
      likes: await db.select().from(neighborLikes).where(eq(neighborLikes.postId, postId)),
      reports: await db.select().from(neighborReports).where(eq(neighborReports.targetId, postId)),
      cases: await db.select().from(moderationCases).where(eq(moderationCases.postId, postId)),
      audit: await db.select().from(auditLog).where(eq(auditLog.subjectId, postId)),
    };
  }

  /** A fresh trusted member's post in the demo community; `reporter` is another member, free to report it. */
  async function neighborPost() {
    const owner = await makeMember(t);
    const reporter = await makeMember(t);
    const made = done(
      await send(owner, 'POST', '/v1/neighbors/posts', {
        communityId,
        topic: 'help',
        text: '谁家有梯子借用一下',
      }),
      201,
    );
    const id = made.id as string;
    return { id, owner, reporter, state: () => postState(id) };
  }

  /** A comment by a fresh member on someone else's post. */
  async function neighborComment() {
    const post = await neighborPost();
    const owner = await makeMember(t);
    const made = done(
      await send(owner, 'POST', `/v1/neighbors/posts/${post.id}/comments`, { text: '我家有' }),
      201,
    );
    const id = made.id as string;
    return {
      id,
      owner,
      postId: post.id,
      postAuthor: post.owner,
      reporter: post.reporter,
      state: async () => ({
        ...(await postState(post.id)),
        commentReports: await db.select().from(neighborReports).where(eq(neighborReports.targetId, id)),
        commentCases: await db.select().from(moderationCases).where(eq(moderationCases.targetId, id)),
        commentAudit: await db.select().from(auditLog).where(eq(auditLog.subjectId, id)),
      }),
    };
  }

  /** A post hidden by three members' reports: an open entry in the demo community's queue. */
  async function moderationCase() {
    const post = await neighborPost();
    const reporters = await Promise.all([makeMember(t), makeMember(t), makeMember(t)]);
    for (const r of reporters)
      done(await send(r, 'POST', `/v1/neighbors/posts/${post.id}/report`, { reason: 'spam' }));
    const [c] = await db.select().from(moderationCases).where(eq(moderationCases.targetId, post.id));
    return { id: c!.id, owner: staff, author: post.owner, postId: post.id, state: () => post.state() };
  }

  /** A word on the demo community's list. */
  async function sensitiveWord() {
    const word = `禁词${Math.random().toString(36).slice(2, 8)}`;
    const made = done(await send(staff, 'POST', '/v1/staff/sensitive-words', { communityId, word }), 201);
    const id = made.id as string;
    return {
      id,
      owner: staff,
      state: async () => ({
        words: await db
          .select()
          .from(sensitiveWords)
          .where(or(eq(sensitiveWords.id, id), eq(sensitiveWords.communityId, communityId))),
        audit: await db.select().from(auditLog).where(eq(auditLog.subjectId, id)),
      }),
    };
  }

  /** The world's shop, recommended in a fresh 推荐 post. */
  async function recommendedShop() {
    const owner = await makeMember(t);
    const made = done(
      await send(owner, 'POST', '/v1/neighbors/posts', {
        communityId,
        topic: 'recommend',
        text: '这家店送货快',
        merchantId: w.shop.id,
      }),
      201,
    );
    return { id: w.shop.id, owner, postId: made.id as string, state: async () => ({}) };
  }

  return { neighborPost, neighborComment, moderationCase, sensitiveWord, recommendedShop };
}
