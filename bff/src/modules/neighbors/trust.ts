import { and, count, eq, gt, max, sql } from 'drizzle-orm';
import { containsLink, POST_MAX_IMAGES, type Standing } from 'shared';
import type { Config } from '../../config';
import type { DbOrTx } from '../../db/client';
import { AppError, badRequest } from '../../http/errors';
import { memberCommunities } from './access';
import { neighborComments, neighborPosts } from './tables';

const DAY_MS = 86_400_000;

type TrustConfig = Pick<
  Config,
  | 'NEIGHBOR_NEW_MEMBER_DAYS'
  | 'NEIGHBOR_REMOVAL_PROBATION_DAYS'
  | 'NEIGHBOR_NEW_MEMBER_POSTS_PER_DAY'
  | 'NEIGHBOR_NEW_MEMBER_COMMENTS_PER_DAY'
  | 'NEIGHBOR_NEW_MEMBER_MAX_IMAGES'
>;

/**
 * Until when a member counts as new: a week (config) after verification, or after their last
 * post staff removed, whichever is later. Null once they are trusted.
 */
export async function newUntil(
  db: DbOrTx,
  config: TrustConfig,
  userId: string,
  communityId: string,
  memberSince: Date,
  now: Date,
): Promise<Date | null> {
  const [removed] = await db
    .select({ at: max(neighborPosts.moderatedAt) })
    .from(neighborPosts)
    .where(
      and(
        eq(neighborPosts.authorId, userId),
        eq(neighborPosts.communityId, communityId),
        eq(neighborPosts.status, 'removed'),
      ),
    );
  const ends = [memberSince.getTime() + config.NEIGHBOR_NEW_MEMBER_DAYS * DAY_MS];
  if (removed?.at) ends.push(removed.at.getTime() + config.NEIGHBOR_REMOVAL_PROBATION_DAYS * DAY_MS);
  const until = Math.max(...ends);
  return until > now.getTime() ? new Date(until) : null;
}

/** How many posts or comments the person wrote in this community in the last 24 hours (deleted ones too). */
async function writtenToday(
  db: DbOrTx,
  kind: 'post' | 'comment',
  userId: string,
  communityId: string,
  now: Date,
): Promise<number> {
  const t = kind === 'post' ? neighborPosts : neighborComments;
  const [row] = await db
    .select({ n: count() })
    .from(t)
    .where(
      and(
        eq(t.authorId, userId),
        eq(t.communityId, communityId),
        gt(t.createdAt, new Date(now.getTime() - DAY_MS)),
      ),
    );
  return row?.n ?? 0;
}

export async function standing(
  db: DbOrTx,
  config: TrustConfig,
  userId: string,
  communityId: string,
  now: Date,
): Promise<Standing> {
  const since = (await memberCommunities(db, userId)).get(communityId);
  if (!since)
    return {
      communityId,
      member: false,
      newMember: false,
      newUntil: null,
      maxImages: 0,
      linksAllowed: false,
      postsLeft: 0,
      commentsLeft: 0,
    };
  const until = await newUntil(db, config, userId, communityId, since, now);
  if (!until)
    return {
      communityId,
      member: true,
      newMember: false,
      newUntil: null,
      maxImages: POST_MAX_IMAGES,
      linksAllowed: true,
      postsLeft: null,
      commentsLeft: null,
    };
  const posts = await writtenToday(db, 'post', userId, communityId, now);
  const comments = await writtenToday(db, 'comment', userId, communityId, now);
  return {
    communityId,
    member: true,
    newMember: true,
    newUntil: until.toISOString(),
    maxImages: config.NEIGHBOR_NEW_MEMBER_MAX_IMAGES,
    linksAllowed: false,
    postsLeft: Math.max(0, config.NEIGHBOR_NEW_MEMBER_POSTS_PER_DAY - posts),
    commentsLeft: Math.max(0, config.NEIGHBOR_NEW_MEMBER_COMMENTS_PER_DAY - comments),
  };
}

/**
 * A new member's limits on what they are about to write (the counts are re-checked inside the
 * writing transaction under the author's lock, see `lockAuthorAndCount`).
 */
export function checkNewMemberContent(
  config: TrustConfig,
  input: { text: string; title?: string | null; imageCount: number },
): void {
  if (containsLink(`${input.title ?? ''}\n${input.text}`))
    throw badRequest('NEIGHBOR_LINKS_NOT_ALLOWED', 'New members cannot post links yet', [
      { path: 'body.text', message: 'contains a link' },
    ]);
  if (input.imageCount > config.NEIGHBOR_NEW_MEMBER_MAX_IMAGES)
    throw badRequest(
      'NEIGHBOR_TOO_MANY_IMAGES',
      `New members may attach at most ${config.NEIGHBOR_NEW_MEMBER_MAX_IMAGES} images`,
      [{ path: 'body.imageIds', message: `at most ${config.NEIGHBOR_NEW_MEMBER_MAX_IMAGES} images` }],
    );
}

/**
 * Inside the writing transaction: takes the author's lock (so two posts sent at once are counted
 * one after the other) and refuses when a new member's daily allowance is used up.
 */
export async function enforceDailyLimit(
  tx: DbOrTx,
  config: TrustConfig,
  kind: 'post' | 'comment',
  userId: string,
  communityId: string,
  now: Date,
): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`neighbors:${userId}`}, 0))`);
  const limit =
    kind === 'post' ? config.NEIGHBOR_NEW_MEMBER_POSTS_PER_DAY : config.NEIGHBOR_NEW_MEMBER_COMMENTS_PER_DAY;
  if ((await writtenToday(tx, kind, userId, communityId, now)) >= limit)
    throw new AppError(
      429,
      'NEIGHBOR_RATE_LIMITED',
      kind === 'post'
        ? `New members may publish ${limit} posts a day: try again tomorrow`
        : `New members may write ${limit} comments a day: try again tomorrow`,
    );
}
