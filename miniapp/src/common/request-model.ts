import {
  CONTACT_PREFERENCE_LABELS,
  type ContactPreference,
  formatDisplayTime,
  handlerMayCall,
  localClock,
  MAX_REQUEST_PHOTOS,
  maskPhone,
  REQUEST_EVENT_LABELS,
  type RequestCategory,
  type RequestDetail,
  type RequestHandler,
  type RequestStatus,
  type RequestSummary,
} from 'shared';

/**
 * What the resident's, the staff's and the repair shop's request pages show, worked out from the
 * API's views (three subpackages read it, so it lives here). Times arrive as UTC instants and are
 * read in Asia/Shanghai whatever the phone's zone.
 */

/** The tag on a request: what is true now, in the resident's words. */
export const REQUEST_STATUS_TEXT: Record<RequestStatus, string> = {
  submitted: '已提交',
  dispatched: '已派单',
  accepted: '处理中',
  resolved: '已解决',
  reopened: '已重新打开',
  closed: '已完成',
  rejected: '已退回',
  withdrawn: '已撤回',
};

/** The tag's colour (tag--<tone> in app.scss and request.scss). */
export function requestTone(status: RequestStatus): 'pending' | 'active' | 'approved' | 'rejected' | 'muted' {
  switch (status) {
    case 'submitted':
    case 'reopened':
      return 'pending';
    case 'dispatched':
    case 'accepted':
      return 'active';
    case 'resolved':
    case 'closed':
      return 'approved';
    case 'rejected':
      return 'rejected';
    default:
      return 'muted';
  }
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** 「今天 14:00」, 「明天 09:30」, 「12月3日 18:00」: a deadline as a person reads it. */
export function whenText(iso: string, now: Date = new Date()): string {
  const at = formatDisplayTime(iso);
  const day = at.slice(0, 10);
  const today = localClock(now).date;
  const tomorrow = localClock(new Date(now.getTime() + 24 * HOUR)).date;
  const yesterday = localClock(new Date(now.getTime() - 24 * HOUR)).date;
  const time = at.slice(11);
  if (day === today) return `今天 ${time}`;
  if (day === tomorrow) return `明天 ${time}`;
  if (day === yesterday) return `昨天 ${time}`;
  const sameYear = day.slice(0, 4) === today.slice(0, 4);
  const md = `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
  return `${sameYear ? md : `${day.slice(0, 4)}年${md}`} ${time}`;
}

/** A span of time, rounded for reading: 45分钟, 3小时, 2天5小时. */
export function spanText(ms: number): string {
  const min = Math.max(1, Math.round(Math.abs(ms) / MINUTE));
  if (min < 60) return `${min}分钟`;
  const hours = Math.floor(min / 60);
  if (hours < 24) return `${hours}小时`;
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest ? `${days}天${rest}小时` : `${days}天`;
}

/** Which clock runs for a request now: respond (until a handler accepts) or resolve (until resolved). */
export type DeadlineKind = 'respond' | 'resolve';

export interface DeadlineView {
  kind: DeadlineKind;
  /** 应在 今天 18:00 前响应 / 已超过响应时限 3小时 */
  text: string;
  /** 剩 5小时 / 超时 3小时 (the staff queue's short form). */
  left: string;
  overdue: boolean;
  /** ms until the deadline, negative once past. */
  remainingMs: number;
}

const KIND_VERB: Record<DeadlineKind, string> = { respond: '响应', resolve: '解决' };

/** The running clock of an open request, or null when none runs (resolved, closed, rejected...). */
export function deadlineView(
  r: { status: RequestStatus; respondBy: string | null; resolveBy: string | null },
  now: Date = new Date(),
): DeadlineView | null {
  const kind: DeadlineKind | null =
    r.status === 'submitted' || r.status === 'dispatched'
      ? 'respond'
      : r.status === 'accepted' || r.status === 'reopened'
        ? 'resolve'
        : null;
  if (!kind) return null;
  // Waiting for a response, the resolution deadline may come first (a reopened one re-dispatched).
  const due = kind === 'respond' ? r.respondBy : r.resolveBy;
  if (!due) return null;
  const remainingMs = new Date(due).getTime() - now.getTime();
  const verb = KIND_VERB[kind];
  const overdue = remainingMs < 0;
  return {
    kind,
    overdue,
    remainingMs,
    text: overdue
      ? `已超过${verb}时限 ${spanText(remainingMs)}（应在 ${whenText(due, now)} 前${verb}）`
      : `应在 ${whenText(due, now)} 前${verb}`,
    left: overdue ? `${verb}超时 ${spanText(remainingMs)}` : `${verb}剩 ${spanText(remainingMs)}`,
  };
}

/** 1-5 stars as text, filled then hollow: ★★★★☆. */
export function starsText(rating: number): string {
  const n = Math.max(0, Math.min(5, Math.round(rating)));
  return `${'★'.repeat(n)}${'☆'.repeat(5 - n)}`;
}

/** A month as YYYY-MM, moved by `delta` months. */
export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y! * 12 + (m! - 1) + delta;
  const year = Math.floor(index / 12);
  return `${String(year)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** This month in Asia/Shanghai, as YYYY-MM. */
export const currentMonth = (now: Date = new Date()): string => localClock(now).date.slice(0, 7);

/** 2026-12 -> 2026年12月. */
export function monthText(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

/** A share as a whole percentage, or 「—」 when nothing was counted. */
export function percentText(part: number, whole: number): string {
  if (whole <= 0) return '—';
  return `${Math.round((part / whole) * 100)}%`;
}

/** A rate already computed (0..1 or null), as a whole percentage. */
export function rateText(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

/**
 * Bars for a chart drawn with Views: each value's width as a percentage of the largest, never
 * thinner than a sliver when it is not zero (so a 1 beside 300 still shows).
 */
export function barWidths(values: readonly number[]): number[] {
  const max = Math.max(0, ...values);
  if (max === 0) return values.map(() => 0);
  return values.map((v) => (v <= 0 ? 0 : Math.max(2, Math.round((v / max) * 100))));
}

// ---- categories and the form ----------------------------------------------------------------------

/** Each category's card: a one-character icon (drawn as text, no image to load) and what it covers. */
export const CATEGORY_CARDS: Record<RequestCategory, { icon: string; hint: string }> = {
  repair: { icon: '修', hint: '水电、门窗、公共设施坏了' },
  environment: { icon: '洁', hint: '垃圾、卫生、绿化' },
  safety: { icon: '安', hint: '消防通道、电线、高空隐患' },
  neighbor: { icon: '邻', hint: '噪音、占道、漏水纠纷' },
  complaint: { icon: '诉', hint: '对服务或管理不满意' },
  need: { icon: '助', hint: '需要社区帮忙办的事' },
};

/** The request text's limit (CreateRequestBody's). */
export const REQUEST_TEXT_MAX = 500;
export const REQUEST_LOCATION_MAX = 80;
export { MAX_REQUEST_PHOTOS };

export interface RequestForm {
  category: RequestCategory | null;
  text: string;
  location: string;
}

export type RequestFormErrors = Partial<Record<'category' | 'text' | 'location', string>>;

/** The form's own checks, in the words the page shows under each field. */
export function validateRequestForm(f: RequestForm): RequestFormErrors {
  const errors: RequestFormErrors = {};
  if (!f.category) errors.category = '请选择要反映的类别';
  const text = f.text.trim();
  if (!text) errors.text = '请写一下具体情况';
  else if (text.length > REQUEST_TEXT_MAX) errors.text = `请在 ${REQUEST_TEXT_MAX} 字以内`;
  if (f.location.trim().length > REQUEST_LOCATION_MAX)
    errors.location = `位置请在 ${REQUEST_LOCATION_MAX} 字以内`;
  return errors;
}

/**
 * The location to send: empty when the resident left the prefilled household address as it was
 * (the server then stores the household's address itself), else what they wrote.
 */
export function locationToSend(location: string, householdAddress: string | null): string {
  const typed = location.trim();
  return typed === (householdAddress ?? '').trim() ? '' : typed;
}

/** 128 / 500 under the text box. */
export const countText = (text: string, max: number) => `${text.trim().length}/${max}`;

// ---- the handler, the next step, the timeline ------------------------------------------------------

/** Once a handler has accepted, the resident may call them; before that the number stays masked. */
const HANDLER_REACHABLE: readonly RequestStatus[] = ['accepted', 'resolved', 'reopened'];

export interface HandlerView {
  /** 邻里快修（商家） / 王社工（社区工作人员） */
  name: string;
  /** The number as shown, or null when there is none (staff are reached through the app). */
  phone: string | null;
  /** Full number to dial: only once they accepted. */
  dial: string | null;
  /** Why a shown number cannot be dialled, true for this state; null when it can (or none shows). */
  note: string | null;
}

/** Before anyone accepted, the full number is still to come; afterwards it is not. */
const maskedNote = (status: RequestStatus) =>
  status === 'submitted' || status === 'dispatched' ? '接单后可查看完整号码' : '诉求已结束，不再显示完整号码';

export function handlerView(handler: RequestHandler | null, status: RequestStatus): HandlerView | null {
  if (!handler) return null;
  const reachable = HANDLER_REACHABLE.includes(status);
  const phone = handler.phone ? (reachable ? handler.phone : maskPhone(handler.phone)) : null;
  return {
    name: `${handler.name}（${handler.kind === 'merchant' ? '服务商家' : '社区工作人员'}）`,
    phone,
    dial: reachable ? handler.phone : null,
    note: phone && !reachable ? maskedNote(status) : null,
  };
}

export interface ResidentContactView {
  /** 居民：陈静（电话联系我） */
  label: string;
  /** The number as the handler got it (masked before accepting), or null. */
  phone: string | null;
  dial: string | null;
  note: string | null;
}

/**
 * The resident as the handler shop sees them: the number to call once it accepted; masked with a
 * note before; and when the resident asked not to be called, only that wish.
 */
export function residentContactView(r: {
  status: RequestStatus;
  contact: ContactPreference;
  resident: { name: string; phone: string | null } | null;
}): ResidentContactView {
  const name = r.resident?.name ?? '';
  if (r.contact === 'inbox')
    return { label: `居民：${name}`, phone: null, dial: null, note: '居民希望不要来电，请在处理结果里说明' };
  const phone = r.resident?.phone ?? null;
  const dial = phone && handlerMayCall(r.status, r.contact) ? phone : null;
  return {
    label: `居民：${name}（${CONTACT_PREFERENCE_LABELS[r.contact]}）`,
    phone,
    dial,
    note: phone && !dial ? maskedNote(r.status) : null,
  };
}

/** One line under the title saying where the request stands and what happens next. */
export function residentNextText(
  r: Pick<RequestDetail, 'status' | 'handler' | 'rejectReason' | 'reopenCount'>,
) {
  const who = r.handler?.name ?? '处理人';
  switch (r.status) {
    case 'submitted':
      return '社区已收到，正在安排处理人';
    case 'dispatched':
      return `已派给${who}，等待对方接单`;
    case 'accepted':
      return `${who}已接单，正在处理`;
    case 'resolved':
      return r.reopenCount > 0
        ? '已处理完成，请评价（已重新打开过一次）'
        : '已处理完成，请评价；没解决可以重新打开一次';
    case 'reopened':
      return '您已重新打开，社区会尽快安排再次处理';
    case 'closed':
      return '已办结，感谢您的反映';
    case 'rejected':
      return r.rejectReason ? `社区未受理：${r.rejectReason}` : '社区未受理';
    case 'withdrawn':
      return '您已撤回这条诉求';
  }
}

const ROLE_TEXT = { resident: '居民', staff: '社区', handler: '处理人', system: '系统' } as const;

export interface TimelineItem {
  key: string;
  title: string;
  /** 王社工 · 今天 10:00 */
  meta: string;
  note: string;
  /** A missed time limit: drawn in red. */
  alert: boolean;
}

/** The events newest last, as the detail pages list them. */
export function timelineItems(entries: RequestDetail['timeline'], now: Date = new Date()): TimelineItem[] {
  return entries.map((e, i) => ({
    key: `${e.at}-${e.kind}-${i}`,
    title: REQUEST_EVENT_LABELS[e.kind],
    meta: `${e.byName ?? ROLE_TEXT[e.by]} · ${whenText(e.at, now)}`,
    note: e.note,
    alert: e.kind === 'escalate_response' || e.kind === 'escalate_resolution',
  }));
}

// ---- the staff queue ---------------------------------------------------------------------------------

/**
 * The queue as staff work it: what is past a time limit first (the longest overdue on top), then
 * by the time left on its running clock, then what has no clock (done) newest first.
 */
export function sortQueue<T extends Pick<RequestSummary, 'status' | 'respondBy' | 'resolveBy' | 'createdAt'>>(
  items: readonly T[],
  now: Date = new Date(),
): T[] {
  const left = (r: T) => deadlineView(r, now)?.remainingMs ?? Number.POSITIVE_INFINITY;
  return [...items].sort((a, b) => {
    const d = left(a) - left(b);
    if (d !== 0 && Number.isFinite(d)) return d;
    if (Number.isFinite(left(a)) !== Number.isFinite(left(b))) return Number.isFinite(left(a)) ? -1 : 1;
    return b.createdAt.localeCompare(a.createdAt);
  });
}

/** The late flags as words, for the staff's tags. */
export function lateText(r: Pick<RequestSummary, 'responseLate' | 'resolutionLate'>): string | null {
  if (r.responseLate && r.resolutionLate) return '响应、办结均超时';
  if (r.responseLate) return '响应超时';
  if (r.resolutionLate) return '办结超时';
  return null;
}
