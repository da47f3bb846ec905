import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  CASE_CAUSES,
  moderationCaseFlow,
  neighborContentFlow,
  POST_TOPICS,
  REPORT_REASONS,
  TARGET_TYPES,
} from 'shared';
import { createdAt, enumValues, idColumn, tstz } from '../../db/schema/_columns';
import { users } from '../identity/tables';
import { merchants } from '../merchants/tables';
import { communities } from '../places/tables';

export const postTopicEnum = pgEnum('post_topic', POST_TOPICS);
export const neighborContentStatusEnum = pgEnum(
  'neighbor_content_status',
  enumValues(neighborContentFlow.states),
);
export const moderationCaseStatusEnum = pgEnum(
  'moderation_case_status',
  enumValues(moderationCaseFlow.states),
);
export const moderationCauseEnum = pgEnum('moderation_cause', CASE_CAUSES);
export const moderationTargetEnum = pgEnum('moderation_target', TARGET_TYPES);
export const reportReasonEnum = pgEnum('report_reason', REPORT_REASONS);

/**
 * A neighbour's post in one community. The like and report counters live on the row and move in
 * the same transaction as the like/report they count (comments are counted when shown: hiding or
 * deleting one then needs no bookkeeping). `search_text` (title and body) carries the trigram index
 * for substring search; the index itself is custom SQL in the migration (it needs pg_trgm first).
 */
export const neighborPosts = pgTable(
  'neighbor_posts',
  {
    id: idColumn(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    topic: postTopicEnum('topic').notNull(),
    title: text('title'),
    body: text('body').notNull(),
    searchText: text('search_text').notNull().generatedAlwaysAs(sql`coalesce(title, '') || ' ' || body`),
    /** Only on a 推荐 post: the shop it recommends. */
    merchantId: uuid('merchant_id').references(() => merchants.id),
    /** Upload ids in the order the author chose (uploads keeps who they belong to). */
    imageIds: uuid('image_ids').array().notNull().default(sql`'{}'::uuid[]`),
    status: neighborContentStatusEnum('status').notNull().default('published'),
    likeCount: integer('like_count').notNull().default(0),
    /** Distinct reporters since it was last restored (a restore starts the count again). */
    reportCount: integer('report_count').notNull().default(0),
    /** Why it is hidden or removed, shown to the author. */
    moderationReason: text('moderation_reason'),
    moderatedAt: tstz('moderated_at'),
    createdAt: createdAt(),
    editedAt: tstz('edited_at'),
    deletedAt: tstz('deleted_at'),
  },
  (t) => [
    // Ascending, scanned backwards for newest first: drizzle's .desc() says NULLS LAST, which an
    // ORDER BY ... DESC (NULLS FIRST) cannot use, and the feed fell back to a sort of every post.
    index('neighbor_posts_feed').on(t.communityId, t.createdAt, t.id).where(sql`${t.status} = 'published'`),
    index('neighbor_posts_topic')
      .on(t.communityId, t.topic, t.createdAt, t.id)
      .where(sql`${t.status} = 'published'`),
    index('neighbor_posts_author').on(t.authorId, t.communityId, t.createdAt),
    index('neighbor_posts_merchant')
      .on(t.merchantId, t.createdAt, t.id)
      .where(sql`${t.merchantId} IS NOT NULL AND ${t.status} = 'published'`),
    check('neighbor_posts_likes', sql`${t.likeCount} >= 0`),
    check('neighbor_posts_images', sql`cardinality(${t.imageIds}) <= 9`),
    check('neighbor_posts_merchant_topic', sql`${t.merchantId} IS NULL OR ${t.topic} = 'recommend'`),
  ],
);

/** A comment on a post, or a reply to one (one level: `parentId` is always a top-level comment). */
export const neighborComments = pgTable(
  'neighbor_comments',
  {
    id: idColumn(),
    postId: uuid('post_id')
      .notNull()
      .references(() => neighborPosts.id),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id),
    parentId: uuid('parent_id'),
    /** Whom a reply to a reply answers. */
    replyToId: uuid('reply_to_id').references(() => users.id),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    status: neighborContentStatusEnum('status').notNull().default('published'),
    reportCount: integer('report_count').notNull().default(0),
    moderationReason: text('moderation_reason'),
    moderatedAt: tstz('moderated_at'),
    createdAt: createdAt(),
    editedAt: tstz('edited_at'),
    deletedAt: tstz('deleted_at'),
  },
  (t) => [
    index('neighbor_comments_thread').on(t.postId, t.parentId, t.createdAt, t.id),
    index('neighbor_comments_author').on(t.authorId, t.communityId, t.createdAt),
  ],
);

/** One like per person per post: the primary key decides a race. */
export const neighborLikes = pgTable(
  'neighbor_likes',
  {
    postId: uuid('post_id')
      .notNull()
      .references(() => neighborPosts.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.userId] })],
);

/** A member's report of a post or comment; one per member per thing. */
export const neighborReports = pgTable(
  'neighbor_reports',
  {
    id: idColumn(),
    targetType: moderationTargetEnum('target_type').notNull(),
    targetId: uuid('target_id').notNull(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id),
    reporterId: uuid('reporter_id')
      .notNull()
      .references(() => users.id),
    reason: reportReasonEnum('reason').notNull(),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('neighbor_reports_once').on(t.targetType, t.targetId, t.reporterId)],
);

/** Staff's review queue: at most one open entry per post or comment. */
export const moderationCases = pgTable(
  'moderation_cases',
  {
    id: idColumn(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id),
    targetType: moderationTargetEnum('target_type').notNull(),
    targetId: uuid('target_id').notNull(),
    /** The post itself, or the one the comment is on. */
    postId: uuid('post_id')
      .notNull()
      .references(() => neighborPosts.id),
    cause: moderationCauseEnum('cause').notNull(),
    status: moderationCaseStatusEnum('status').notNull().default('open'),
    /** WeChat's label when its check asked for a review. */
    checkLabel: text('check_label'),
    createdAt: createdAt(),
    decidedAt: tstz('decided_at'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decisionReason: text('decision_reason'),
  },
  (t) => [
    uniqueIndex('moderation_cases_one_open').on(t.targetType, t.targetId).where(sql`${t.status} = 'open'`),
    index('moderation_cases_queue').on(t.communityId, t.status, t.createdAt, t.id),
  ],
);

/** A community's own list of words no post or comment may contain (compared normalised). */
export const sensitiveWords = pgTable(
  'neighbor_sensitive_words',
  {
    id: idColumn(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id),
    word: text('word').notNull(),
    normalised: text('normalised').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('neighbor_sensitive_words_unique').on(t.communityId, t.normalised)],
);
