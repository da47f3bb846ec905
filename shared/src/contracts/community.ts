import { z } from 'zod';
import { MAX_ALERT_CHARS, POLL_MAX_OPTIONS, POLL_MIN_OPTIONS } from '../community/rules';
import { Instant } from './care';
import { CursorQuery, Id, page } from './common';
import { ImageRef } from './uploads';
import { ActivitySignupStatus } from './volunteers';

const Text = (max: number) => z.string().trim().max(max);
const Required = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
/** Staff who run several communities say which one; with one, it is that one. */
const ForCommunity = { communityId: Id.optional() };
const codePoints = (s: string) => [...s].length;

// ---- notices (通知公告) ---------------------------------------------------------------------------

/** A notice in a list: the first lines of its text, whether the caller has opened it. */
export const NoticeItem = z.object({
  id: Id,
  communityId: Id,
  title: z.string(),
  /** The first ~80 characters of the text. */
  excerpt: z.string(),
  pinned: z.boolean(),
  imageCount: z.number().int(),
  /** The first image's thumbnail, for the list row. */
  thumbUrl: z.string().nullable(),
  publishedAt: Instant,
  editedAt: Instant.nullable(),
  /** When the caller first opened it (null: unread). */
  readAt: Instant.nullable(),
});
export type NoticeItem = z.infer<typeof NoticeItem>;
export const NoticePage = page(NoticeItem);
export const Notice = NoticeItem.extend({ body: z.string(), images: z.array(ImageRef) });
export type Notice = z.infer<typeof Notice>;

/** What staff see of who has read a notice. */
export const NoticeReadStats = z.object({
  /** Verified members of the community now. */
  members: z.number().int(),
  /** Of them, how many have opened it. */
  read: z.number().int(),
  /** read / members, 0..1 (0 with no members). */
  rate: z.number(),
  households: z.number().int(),
  /** Households where at least one member has opened it. */
  householdsRead: z.number().int(),
});
export const StaffNotice = Notice.extend({
  withdrawnAt: Instant.nullable(),
  authorName: z.string(),
  stats: NoticeReadStats,
});
export type StaffNotice = z.infer<typeof StaffNotice>;
export const StaffNoticePage = page(StaffNotice);

export const CreateNoticeBody = z
  .object({
    title: Required(60),
    body: Required(5000),
    /** Uploads made with purpose `notice`, in the order they are shown. */
    imageIds: z.array(Id).max(9).default([]),
    pinned: z.boolean().default(false),
    ...ForCommunity,
  })
  .strict();
export const UpdateNoticeBody = z
  .object({
    title: Required(60).optional(),
    body: Required(5000).optional(),
    /** The full new list (kept ones and new uploads); omitted: unchanged. */
    imageIds: z.array(Id).max(9).optional(),
  })
  .strict()
  .refine((b) => b.title !== undefined || b.body !== undefined || b.imageIds !== undefined, {
    message: 'change at least one of title, body, imageIds',
    path: ['title'],
  });
export const PinNoticeBody = z.object({ pinned: z.boolean() }).strict();
/** Members who have not opened a notice yet (names masked), by household address. */
export const NoticeUnreadPage = z.object({
  items: z.array(z.object({ name: z.string(), address: z.string() })),
  nextCursor: z.string().nullable(),
});
export const NoticeUnreadQuery = CursorQuery;

// ---- urgent alerts (紧急通知) ---------------------------------------------------------------------

export const Alert = z.object({
  id: Id,
  communityId: Id,
  text: z.string(),
  createdAt: Instant,
  withdrawnAt: Instant.nullable(),
  /** When the caller acknowledged it (the banner goes away). */
  acknowledgedAt: Instant.nullable(),
});
export type Alert = z.infer<typeof Alert>;
export const AlertList = z.object({ items: z.array(Alert) });
/** What staff see: how far the fan-out has got. */
export const StaffAlert = Alert.omit({ acknowledgedAt: true }).extend({
  authorName: z.string(),
  /** Members when it was sent. */
  members: z.number().int(),
  /** Inbox rows written so far. */
  reached: z.number().int(),
  acknowledged: z.number().int(),
  /** When the last inbox row was written (null while the fan-out runs). */
  deliveredAt: Instant.nullable(),
});
export type StaffAlert = z.infer<typeof StaffAlert>;
export const StaffAlertList = z.object({
  items: z.array(StaffAlert),
  /** Verified members of each community the caller runs now: whom the next alert reaches. */
  audiences: z.array(z.object({ communityId: Id, members: z.number().int() })),
});
export const CreateAlertBody = z
  .object({
    text: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .refine((s) => codePoints(s) <= MAX_ALERT_CHARS, `at most ${MAX_ALERT_CHARS} characters`),
    ...ForCommunity,
  })
  .strict();

// ---- polls (议事) ---------------------------------------------------------------------------------

export const POLL_RESULTS_VISIBILITY = ['after_vote', 'after_close'] as const;
export const PollResultsVisibility = z.enum(POLL_RESULTS_VISIBILITY);
export const POLL_RESULTS_VISIBILITY_LABELS: Record<z.infer<typeof PollResultsVisibility>, string> = {
  after_vote: '投票后可见结果',
  after_close: '截止后公布结果',
};
export const POLL_STATUSES = ['upcoming', 'open', 'closed'] as const;
export const PollStatus = z.enum(POLL_STATUSES);
export const POLL_STATUS_LABELS: Record<z.infer<typeof PollStatus>, string> = {
  upcoming: '未开始',
  open: '进行中',
  closed: '已结束',
};

export const Poll = z.object({
  id: Id,
  communityId: Id,
  question: z.string(),
  description: z.string(),
  /** Options by index; `votes` is null while the results are hidden from the caller. */
  options: z.array(
    z.object({ index: z.number().int(), label: z.string(), votes: z.number().int().nullable() }),
  ),
  multiple: z.boolean(),
  /** For multiple choice: at most this many options per household. */
  maxChoices: z.number().int(),
  opensAt: Instant,
  closesAt: Instant,
  /** Set when staff closed it early. */
  closedAt: Instant.nullable(),
  status: PollStatus,
  resultsVisibility: PollResultsVisibility,
  resultsVisible: z.boolean(),
  /** Households that have voted (null while results are hidden). */
  votedHouseholds: z.number().int().nullable(),
  /** Households in the community now. */
  households: z.number().int(),
  /** The caller's household's vote (null: the caller has no household here). */
  myHousehold: z
    .object({
      householdId: Id,
      address: z.string(),
      voted: z.boolean(),
      choices: z.array(z.number().int()).nullable(),
      /** Who in the household voted (masked), and whether it was the caller. */
      votedBy: z.string().nullable(),
      byMe: z.boolean(),
    })
    .nullable(),
  /** Open, and the caller's household has not voted. */
  canVote: z.boolean(),
});
export type Poll = z.infer<typeof Poll>;
export const PollList = z.object({ items: z.array(Poll) });
export const CreatePollBody = z
  .object({
    question: Required(120),
    description: Text(1000).default(''),
    options: z
      .array(Required(40))
      .min(POLL_MIN_OPTIONS, `give at least ${POLL_MIN_OPTIONS} options`)
      .max(POLL_MAX_OPTIONS, `at most ${POLL_MAX_OPTIONS} options`)
      .refine((o) => new Set(o).size === o.length, 'options must differ'),
    multiple: z.boolean().default(false),
    /** Multiple choice only; default: any number of options. */
    maxChoices: z.number().int().min(1).max(POLL_MAX_OPTIONS).optional(),
    /** Default: now. */
    opensAt: Instant.optional(),
    closesAt: Instant,
    resultsVisibility: PollResultsVisibility.default('after_vote'),
    ...ForCommunity,
  })
  .strict()
  .refine((b) => !b.opensAt || Date.parse(b.closesAt) > Date.parse(b.opensAt), {
    message: 'must close after it opens',
    path: ['closesAt'],
  })
  .refine((b) => b.maxChoices === undefined || (b.multiple && b.maxChoices <= b.options.length), {
    message: 'only for multiple choice, and at most the number of options',
    path: ['maxChoices'],
  });
export const VotePollBody = z
  .object({
    /** Option indexes; exactly one for single choice. */
    choices: z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(POLL_MAX_OPTIONS - 1),
      )
      .min(1, 'choose an option')
      .max(POLL_MAX_OPTIONS),
    /** Needed only by someone verified in two households of the community. */
    householdId: Id.optional(),
  })
  .strict()
  .refine((b) => new Set(b.choices).size === b.choices.length, {
    message: 'each option once',
    path: ['choices'],
  });

// ---- interest groups (兴趣小组) -------------------------------------------------------------------

export const Group = z.object({
  id: Id,
  communityId: Id,
  name: z.string(),
  description: z.string(),
  memberCount: z.number().int(),
  joined: z.boolean(),
  archived: z.boolean(),
  createdAt: Instant,
});
export type Group = z.infer<typeof Group>;
export const GroupList = z.object({ items: z.array(Group) });
export const GroupQuery = z.object({
  mine: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((v) => v === 'true')
    .optional(),
});
export const CreateGroupBody = z
  .object({ name: Required(30), description: Text(500).default(''), ...ForCommunity })
  .strict();
export const UpdateGroupBody = z
  .object({
    name: Required(30).optional(),
    description: Text(500).optional(),
    archived: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.name !== undefined || b.description !== undefined || b.archived !== undefined, {
    message: 'change at least one of name, description, archived',
    path: ['name'],
  });

// ---- community activities (社区活动) --------------------------------------------------------------

export const CommunityActivity = z.object({
  id: Id,
  communityId: Id,
  groupId: Id.nullable(),
  groupName: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  place: z.string(),
  startsAt: Instant,
  endsAt: Instant,
  capacity: z.number().int(),
  signedUp: z.number().int(),
  waitlisted: z.number().int(),
  cancelled: z.boolean(),
  /** The caller's sign-up, if any. */
  mine: z.object({ status: ActivitySignupStatus, waitlistPosition: z.number().int().nullable() }).nullable(),
  /** Staff only: the code people enter at the place. */
  checkinCode: z.string().nullable(),
});
export type CommunityActivity = z.infer<typeof CommunityActivity>;
export const CommunityActivityList = z.object({ items: z.array(CommunityActivity) });
export const CommunityActivityQuery = z.object({ groupId: Id.optional() });
export const CreateCommunityActivityBody = z
  .object({
    title: Required(40),
    description: Text(1000).default(''),
    place: Required(60),
    startsAt: Instant,
    endsAt: Instant,
    capacity: z.number().int().min(1).max(5000),
    /** The interest group hosting it (one of the community's). */
    groupId: Id.optional(),
    ...ForCommunity,
  })
  .strict()
  .refine((b) => Date.parse(b.endsAt) > Date.parse(b.startsAt), {
    message: 'must end after it starts',
    path: ['endsAt'],
  });
export const CommunityCheckinBody = z
  .object({ code: z.string().regex(/^\d{6}$/, 'must be the code shown at the place') })
  .strict();
export const CommunityActivityRoster = z.object({
  items: z.array(
    z.object({
      userId: Id,
      name: z.string(),
      phoneMasked: z.string().nullable(),
      status: ActivitySignupStatus,
      waitlistPosition: z.number().int().nullable(),
      checkedInAt: Instant.nullable(),
    }),
  ),
});

export * from '../community/rules';
