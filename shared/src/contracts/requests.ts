import { z } from 'zod';
import { type RequestEvent, type RequestStatus, requestFlow } from '../state/request-flows';
import { Instant } from './care';
import { CursorQuery, Id, page, QueryBool } from './common';
import { ImageRef } from './uploads';

const Text = (max: number) => z.string().trim().max(max);
const Required = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

// ---- labels -------------------------------------------------------------------------------------

/** What a resident can raise: the one-number service's usual kinds (needs, complaints, repairs, ...). */
export const REQUEST_CATEGORIES = [
  'repair',
  'environment',
  'safety',
  'neighbor',
  'complaint',
  'need',
] as const;
export const RequestCategory = z.enum(REQUEST_CATEGORIES);
export type RequestCategory = z.infer<typeof RequestCategory>;
export const REQUEST_CATEGORY_LABELS: Record<RequestCategory, string> = {
  repair: '报修',
  environment: '环境卫生',
  safety: '安全隐患',
  neighbor: '邻里纠纷',
  complaint: '投诉',
  need: '需求',
};

export const RequestStatusSchema = z.enum(requestFlow.states);
export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  submitted: '待派单',
  dispatched: '已派单',
  accepted: '处理中',
  resolved: '待评价',
  reopened: '已重新打开',
  closed: '已办结',
  rejected: '未受理',
  withdrawn: '已撤回',
};

/** How the resident wants to be reached about it. */
export const CONTACT_PREFERENCES = ['phone', 'inbox', 'visit'] as const;
export const ContactPreference = z.enum(CONTACT_PREFERENCES);
export type ContactPreference = z.infer<typeof ContactPreference>;
/**
 * `inbox` (the enum value predates the wording) means: do not call, answer in the resolution note
 * the resident reads on the request. There is no separate message channel.
 */
export const CONTACT_PREFERENCE_LABELS: Record<ContactPreference, string> = {
  phone: '电话联系我',
  inbox: '不要来电，在办理结果里答复',
  visit: '可直接上门',
};

/**
 * Whether the handler gets the resident's full phone: only once they took the job on (accepted,
 * or the resident reopened it back to them), and never when the resident asked not to be called.
 * Before accepting they see it masked; once it is done with, not at all.
 */
export function handlerMayCall(status: RequestStatus, contact: ContactPreference): boolean {
  return contact !== 'inbox' && (status === 'accepted' || status === 'reopened');
}

/** Photos one request (or one resolution) carries: the WeChat picker's maximum. */
export const MAX_REQUEST_PHOTOS = 9;
/** A resident may reopen a resolved request this many times. */
export const MAX_REQUEST_REOPENS = 1;

/** What the timeline records: every flow event, the submission, and a missed time limit. */
export const REQUEST_EVENT_KINDS = [
  'submit',
  ...(Object.keys(requestFlow.transitions) as RequestEvent[]),
  'rate',
  'escalate_response',
  'escalate_resolution',
] as const;
export const RequestEventKind = z.enum(REQUEST_EVENT_KINDS);
export type RequestEventKind = z.infer<typeof RequestEventKind>;
export const REQUEST_EVENT_LABELS: Record<RequestEventKind, string> = {
  submit: '提交诉求',
  dispatch: '派单',
  accept: '接单',
  decline: '退回重派',
  resolve: '处理完成',
  close: '办结',
  reopen: '重新打开',
  reject: '不予受理',
  withdraw: '撤回',
  rate: '评价',
  escalate_response: '超时未响应，已督办',
  escalate_resolution: '超时未办结，已督办',
};

/** Who did something on the timeline (names are shown to staff; residents see the role). */
export const REQUEST_ACTOR_ROLES = ['resident', 'staff', 'handler', 'system'] as const;
export const RequestActorRole = z.enum(REQUEST_ACTOR_ROLES);

/** What the caller may do next, so the page shows only buttons that will work. */
export const REQUEST_ACTIONS = [
  'withdraw',
  'rate',
  'reopen',
  'dispatch',
  'reject',
  'accept',
  'decline',
  'resolve',
] as const;
export const RequestAction = z.enum(REQUEST_ACTIONS);
export type RequestAction = z.infer<typeof RequestAction>;

// ---- the request --------------------------------------------------------------------------------

export const RequestHandler = z.object({
  kind: z.enum(['staff', 'merchant']),
  /** The staff member's user id, or the shop's id. */
  id: Id,
  name: z.string(),
  /** The shop's contact phone; null for staff (residents reach the office through the app). */
  phone: z.string().nullable(),
});
export type RequestHandler = z.infer<typeof RequestHandler>;

export const RequestTimelineEntry = z.object({
  at: Instant,
  kind: RequestEventKind,
  by: RequestActorRole,
  /** The person's or shop's name, shown to staff and handlers; null in the resident's view. */
  byName: z.string().nullable(),
  /** Empty in the resident's view for the desk's own notes (dispatch instructions, a hand-back reason). */
  note: z.string(),
});

/** One request as a list shows it. */
export const RequestSummary = z.object({
  id: Id,
  /** What people read out on the phone: "Q" and 8 characters. */
  number: z.string(),
  category: RequestCategory,
  status: RequestStatusSchema,
  text: z.string(),
  location: z.string(),
  communityId: Id,
  createdAt: Instant,
  /** The response (a handler accepted, or staff answered) is due by then. */
  respondBy: Instant,
  respondedAt: Instant.nullable(),
  /** Resolution is due by then (moved on a reopen). */
  resolveBy: Instant,
  resolvedAt: Instant.nullable(),
  /** The time limit passed without it (still open, or done late). */
  responseLate: z.boolean(),
  resolutionLate: z.boolean(),
  handler: RequestHandler.nullable(),
  photoCount: z.number().int(),
  /** Bumped by every change: staff send back the version they saw when they dispatch. */
  version: z.number().int(),
});
export type RequestSummary = z.infer<typeof RequestSummary>;

export const RequestDetail = RequestSummary.extend({
  contact: ContactPreference,
  /** The resident as staff and the handler see them (the handler: masked until it accepted, see `handlerMayCall`). */
  resident: z.object({ name: z.string(), phone: z.string().nullable() }).nullable(),
  photos: z.array(ImageRef),
  resolution: z.object({ note: z.string(), photos: z.array(ImageRef), at: Instant }).nullable(),
  rating: z.object({ stars: z.number().int(), text: z.string(), at: Instant }).nullable(),
  rejectReason: z.string().nullable(),
  reopenCount: z.number().int(),
  closedAt: Instant.nullable(),
  timeline: z.array(RequestTimelineEntry),
  actions: z.array(RequestAction),
});
export type RequestDetail = z.infer<typeof RequestDetail>;

export const RequestPage = page(RequestSummary);
export type RequestPage = z.infer<typeof RequestPage>;

// ---- bodies and queries -------------------------------------------------------------------------

export const CreateRequestBody = z
  .object({
    category: RequestCategory,
    text: Required(500),
    photos: z.array(Id).max(MAX_REQUEST_PHOTOS).default([]),
    /** The household it concerns; the resident's only verified one when left out. */
    householdId: Id.optional(),
    /** Building, unit or spot ("3栋楼道", "北门垃圾站"); the household's address when empty. */
    location: Text(80).default(''),
    contact: ContactPreference.default('phone'),
  })
  .strict()
  .refine((b) => new Set(b.photos).size === b.photos.length, {
    message: 'must not repeat a photo',
    path: ['photos'],
  });
export type CreateRequestBody = z.input<typeof CreateRequestBody>;

/** The resident's lists: still being handled, or done with. */
export const MyRequestQuery = CursorQuery.extend({
  scope: z.enum(['open', 'done', 'all']).default('all'),
});
export const StaffRequestQuery = CursorQuery.extend({
  /** A status, or `open` (someone must act), `late` (open and past a time limit), `all`. */
  status: z.enum([...requestFlow.states, 'open', 'late', 'all']).default('open'),
  category: RequestCategory.optional(),
  communityId: Id.optional(),
  /** Only those dispatched to the caller (a staff member handling requests themselves). */
  mine: QueryBool.optional(),
});
export const MerchantRequestQuery = CursorQuery.extend({
  scope: z.enum(['open', 'done', 'all']).default('open'),
});

export const RateRequestBody = z
  .object({ stars: z.number().int().min(1).max(5), text: Text(300).default('') })
  .strict();
export const ReopenRequestBody = z.object({ reason: Required(300) }).strict();
export const WithdrawRequestBody = z.object({ reason: Text(200).default('') }).strict();
export const RejectRequestBody = z.object({ reason: Required(200) }).strict();
export const DeclineRequestBody = z.object({ reason: Required(200) }).strict();
export const AcceptRequestBody = z.object({ note: Text(200).default('') }).strict();
export const ResolveRequestBody = z
  .object({
    note: Required(500),
    photos: z.array(Id).max(MAX_REQUEST_PHOTOS).default([]),
  })
  .strict()
  .refine((b) => new Set(b.photos).size === b.photos.length, {
    message: 'must not repeat a photo',
    path: ['photos'],
  });
export const DispatchRequestBody = z
  .object({
    handler: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('staff'), userId: Id }).strict(),
      z.object({ kind: z.literal('merchant'), merchantId: Id }).strict(),
    ]),
    note: Text(200).default(''),
    /** The request's version as the dispatcher saw it: a stale one (someone else dispatched) is a 409. */
    version: z.number().int().min(0),
  })
  .strict();
export type DispatchRequestBody = z.input<typeof DispatchRequestBody>;

/** Whom staff may dispatch a request to: the community's staff and its home-service shops. */
export const RequestHandlerOptions = z.object({
  staff: z.array(z.object({ userId: Id, name: z.string() })),
  merchants: z.array(z.object({ merchantId: Id, name: z.string(), category: z.string() })),
});

// ---- time limits and the lead ---------------------------------------------------------------------

export const RequestTimeLimit = z
  .object({
    category: RequestCategory,
    respondHours: z.number().int().min(1).max(720),
    resolveHours: z.number().int().min(1).max(2160),
  })
  .strict()
  .refine((l) => l.resolveHours >= l.respondHours, {
    message: 'must not be shorter than the response limit',
    path: ['resolveHours'],
  });

export const RequestSettings = z.object({
  communityId: Id,
  /** Told when a time limit is missed; every staff member of the community when null. */
  leadStaffId: Id.nullable(),
  staff: z.array(z.object({ userId: Id, name: z.string() })),
  /** Every category, with `custom` false where the configured default applies. */
  limits: z.array(
    z.object({
      category: RequestCategory,
      respondHours: z.number().int(),
      resolveHours: z.number().int(),
      custom: z.boolean(),
    }),
  ),
});
export type RequestSettings = z.infer<typeof RequestSettings>;

export const SaveRequestSettingsBody = z
  .object({
    leadStaffId: Id.nullable(),
    /** Categories listed get these limits; the ones left out go back to the defaults. */
    limits: z.array(RequestTimeLimit).max(REQUEST_CATEGORIES.length),
  })
  .strict()
  .refine((b) => new Set(b.limits.map((l) => l.category)).size === b.limits.length, {
    message: 'must list each category once',
    path: ['limits'],
  });

// ---- monthly statistics -------------------------------------------------------------------------

/** A calendar month, YYYY-MM (Asia/Shanghai). */
export const Month = z.string().regex(/^(\d{4})-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
export const RequestStatsQuery = z.object({ month: Month });

export const RequestStats = z.object({
  communityId: Id,
  communityName: z.string(),
  month: z.string(),
  /** Requests raised in the month (Asia/Shanghai). */
  total: z.number().int(),
  byCategory: z.array(z.object({ category: RequestCategory, count: z.number().int() })),
  byStatus: z.array(z.object({ status: RequestStatusSchema, count: z.number().int() })),
  /**
   * Of the month's requests whose response was due by now or came: the share answered in time
   * (0..1), null when there are none yet. The same for resolution.
   */
  responseOnTimeRate: z.number().nullable(),
  resolutionOnTimeRate: z.number().nullable(),
  responseCounted: z.number().int(),
  resolutionCounted: z.number().int(),
  /** Mean of the residents' stars (1..5, two decimals), null when nobody rated. */
  averageRating: z.number().nullable(),
  ratedCount: z.number().int(),
});
export type RequestStats = z.infer<typeof RequestStats>;
