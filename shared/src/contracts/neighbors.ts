import { z } from 'zod';
import { codePoints } from '../neighbors/text';
import { moderationCaseFlow, neighborContentFlow } from '../state/neighbor-flows';
import { CursorQuery, Id, page } from './common';
import { ImageRef } from './uploads';

// ---- limits and labels --------------------------------------------------------------------------

export const POST_MAX_CHARS = 1000;
export const POST_TITLE_MAX_CHARS = 40;
export const POST_MAX_IMAGES = 9;
export const COMMENT_MAX_CHARS = 500;
/** The longest search phrase. */
export const SEARCH_MAX_CHARS = 50;

/** Stable keys in the API; the app shows the Chinese labels. */
export const POST_TOPICS = [
  'pets',
  'sports',
  'parenting',
  'rant',
  'secondhand',
  'lost_found',
  'help',
  'recommend',
] as const;
export const PostTopic = z.enum(POST_TOPICS);
export type PostTopic = z.infer<typeof PostTopic>;
export const POST_TOPIC_LABELS: Record<PostTopic, string> = {
  pets: '宠物',
  sports: '运动',
  parenting: '宝妈',
  rant: '吐槽',
  secondhand: '二手闲置',
  lost_found: '失物招领',
  help: '求助',
  recommend: '推荐',
};

export const ContentStatus = z.enum(neighborContentFlow.states);
export type ContentStatus = z.infer<typeof ContentStatus>;
export const CONTENT_STATUS_LABELS: Record<ContentStatus, string> = {
  published: '已发布',
  hidden: '已被隐藏，等待社区审核',
  removed: '已被社区删除',
  deleted: '已删除',
};

export const REPORT_REASONS = ['spam', 'abuse', 'porn', 'fraud', 'illegal', 'privacy', 'other'] as const;
export const ReportReason = z.enum(REPORT_REASONS);
export type ReportReason = z.infer<typeof ReportReason>;
export const REPORT_REASON_LABELS: Record<ReportReason, string> = {
  spam: '垃圾广告',
  abuse: '辱骂攻击',
  porn: '色情低俗',
  fraud: '诈骗信息',
  illegal: '违法违规',
  privacy: '泄露隐私',
  other: '其他',
};

export const CaseStatus = z.enum(moderationCaseFlow.states);
export type CaseStatus = z.infer<typeof CaseStatus>;
export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  open: '待审核',
  restored: '已恢复',
  removed: '已删除',
  withdrawn: '作者已删除',
};
/** Why an entry is in the review queue. */
export const CASE_CAUSES = ['reports', 'content_review', 'check_unavailable'] as const;
export const CaseCause = z.enum(CASE_CAUSES);
export type CaseCause = z.infer<typeof CaseCause>;
export const CASE_CAUSE_LABELS: Record<CaseCause, string> = {
  reports: '多人举报，已自动隐藏',
  content_review: '内容安全检查建议人工复核',
  check_unavailable: '内容安全检查暂不可用，发布后待复核',
};
export const TARGET_TYPES = ['post', 'comment'] as const;
export const TargetType = z.enum(TARGET_TYPES);
export type TargetType = z.infer<typeof TargetType>;

// ---- fields -------------------------------------------------------------------------------------

/** Text measured in code points (an emoji is one character, as the person counts it). */
const Body = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .refine((s) => codePoints(s) <= max, `must be at most ${max} characters`);
const Title = z
  .string()
  .trim()
  .refine((s) => codePoints(s) <= POST_TITLE_MAX_CHARS, `must be at most ${POST_TITLE_MAX_CHARS} characters`);
const ImageIds = z
  .array(Id)
  .max(POST_MAX_IMAGES, `at most ${POST_MAX_IMAGES} images`)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an image');

export const Person = z.object({ id: Id, name: z.string() });
export type Person = z.infer<typeof Person>;
/** A post's author as neighbours see them: the name and the compound they live in (王阿姨 · 银杏院). */
export const Author = Person.extend({ compound: z.string().nullable() });
export type Author = z.infer<typeof Author>;

// ---- posts --------------------------------------------------------------------------------------

export const CreatePostBody = z
  .object({
    communityId: Id,
    topic: PostTopic,
    /** Optional; an empty title is the same as none. */
    title: Title.optional(),
    text: Body(POST_MAX_CHARS),
    /** Uploads made with purpose `post`, in the order shown. */
    imageIds: ImageIds.default([]),
    /** Only on a 推荐 post: the shop it recommends (a listed shop). */
    merchantId: Id.optional(),
  })
  .strict()
  .refine((b) => b.merchantId === undefined || b.topic === 'recommend', {
    message: 'only a 推荐 post names a shop',
    path: ['merchantId'],
  });
export type CreatePostBody = z.infer<typeof CreatePostBody>;

/** The author's edit: any of these; images replace the whole list. */
export const UpdatePostBody = z
  .object({
    topic: PostTopic.optional(),
    title: Title.nullable().optional(),
    text: Body(POST_MAX_CHARS).optional(),
    imageIds: ImageIds.optional(),
    merchantId: Id.nullable().optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'must change something' });
export type UpdatePostBody = z.infer<typeof UpdatePostBody>;

export const Post = z.object({
  id: Id,
  communityId: Id,
  topic: PostTopic,
  title: z.string().nullable(),
  /** Plain text, never HTML: the app renders it in Text nodes. */
  text: z.string(),
  images: z.array(ImageRef),
  merchant: z.object({ id: Id, name: z.string() }).nullable(),
  author: Author,
  likeCount: z.number().int(),
  commentCount: z.number().int(),
  likedByMe: z.boolean(),
  mine: z.boolean(),
  status: ContentStatus,
  /** Only the author sees a hidden or removed post, with why. */
  moderation: z.object({ reason: z.string().nullable(), at: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
});
export type Post = z.infer<typeof Post>;
export const PostPage = page(Post);
export type PostPage = z.infer<typeof PostPage>;

/** A community's feed, newest first; a cursor stays valid while new posts arrive. */
export const FeedQuery = CursorQuery.extend({ communityId: Id, topic: PostTopic.optional() });
export const SearchQuery = CursorQuery.extend({
  communityId: Id,
  q: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(SEARCH_MAX_CHARS, `must be at most ${SEARCH_MAX_CHARS} characters`),
  topic: PostTopic.optional(),
});
/** My own posts, every status but deleted (hidden and removed ones with the reason). */
export const MyPostsQuery = CursorQuery.extend({ communityId: Id.optional() });
export const RecommendationQuery = CursorQuery;

/** What the editor needs to know before the person types: their limits in this community. */
export const StandingQuery = z.object({ communityId: Id });
export const Standing = z.object({
  communityId: Id,
  member: z.boolean(),
  /** New members are rate-limited and may not post links or more than `maxImages` images. */
  newMember: z.boolean(),
  /** When the person stops being new, if nothing changes (null when not new). */
  newUntil: z.string().nullable(),
  maxImages: z.number().int(),
  linksAllowed: z.boolean(),
  /** Left for the rolling 24 hours; null means no limit. */
  postsLeft: z.number().int().nullable(),
  commentsLeft: z.number().int().nullable(),
});
export type Standing = z.infer<typeof Standing>;

export const LikeResult = z.object({ liked: z.boolean(), likeCount: z.number().int() });
export type LikeResult = z.infer<typeof LikeResult>;

// ---- comments -----------------------------------------------------------------------------------

export const CreateCommentBody = z
  .object({
    text: Body(COMMENT_MAX_CHARS),
    /** Replying to a comment: a reply to a reply joins the same thread, naming whom it answers. */
    parentId: Id.optional(),
  })
  .strict();
export const UpdateCommentBody = z.object({ text: Body(COMMENT_MAX_CHARS) }).strict();

export const Reply = z.object({
  id: Id,
  postId: Id,
  parentId: Id.nullable(),
  /** Whom a reply answers (a reply to a reply); null for a reply to the thread's comment. */
  replyTo: Person.nullable(),
  author: Person,
  text: z.string(),
  status: ContentStatus,
  mine: z.boolean(),
  moderation: z.object({ reason: z.string().nullable(), at: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
});
export type Reply = z.infer<typeof Reply>;
/** A top-level comment with its replies (oldest first, one level). */
export const Comment = Reply.extend({ replies: z.array(Reply), replyCount: z.number().int() });
export type Comment = z.infer<typeof Comment>;
/** Top-level comments oldest first (a conversation reads down). */
export const CommentPage = page(Comment);
export type CommentPage = z.infer<typeof CommentPage>;
export const CommentQuery = CursorQuery;

// ---- reports and moderation ---------------------------------------------------------------------

export const ReportBody = z
  .object({ reason: ReportReason, note: z.string().trim().max(200).optional() })
  .strict();
export type ReportBody = z.infer<typeof ReportBody>;

export const ModerationQuery = CursorQuery.extend({
  status: CaseStatus.default('open'),
  communityId: Id.optional(),
});
export const ModerationCase = z.object({
  id: Id,
  communityId: Id,
  targetType: TargetType,
  targetId: Id,
  /** The post itself, or the post a comment is on (to open it). */
  postId: Id,
  cause: CaseCause,
  status: CaseStatus,
  /** WeChat's label when its check asked for a review. */
  checkLabel: z.string().nullable(),
  reportCount: z.number().int(),
  reasons: z.array(z.object({ reason: ReportReason, count: z.number().int() })),
  notes: z.array(z.string()),
  target: z.object({
    status: ContentStatus,
    topic: PostTopic.nullable(),
    title: z.string().nullable(),
    text: z.string(),
    images: z.array(ImageRef),
    author: Person,
    createdAt: z.string(),
  }),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: Person.nullable(),
  decisionReason: z.string().nullable(),
});
export type ModerationCase = z.infer<typeof ModerationCase>;
export const ModerationPage = page(ModerationCase);
export type ModerationPage = z.infer<typeof ModerationPage>;
export const RestoreBody = z.object({ note: z.string().trim().max(200).optional() }).strict();
export const RemoveBody = z
  .object({ reason: z.string().trim().min(1, 'must not be empty').max(200) })
  .strict();

// ---- sensitive words ----------------------------------------------------------------------------

export const SensitiveWordQuery = z.object({ communityId: Id });
export const AddSensitiveWordBody = z
  .object({
    communityId: Id,
    word: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .refine((s) => codePoints(s) <= 20, 'must be at most 20 characters'),
  })
  .strict();
export const SensitiveWord = z.object({
  id: Id,
  communityId: Id,
  word: z.string(),
  createdAt: z.string(),
});
export type SensitiveWord = z.infer<typeof SensitiveWord>;
export const SensitiveWordList = z.object({ items: z.array(SensitiveWord) });
