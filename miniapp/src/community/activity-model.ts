import { ACTIVITY_SIGNUP_STATUS_LABELS, COMMUNITY_CHECKIN_OPENS_BEFORE_MIN, checkinWindow } from 'shared';

/**
 * 社区活动 as a resident meets it: places, the waitlist, which buttons make sense now. The BFF
 * decides in the end; these only keep buttons off that would be refused.
 */

type SignupStatus = keyof typeof ACTIVITY_SIGNUP_STATUS_LABELS;

export interface ActivityLike {
  startsAt: string;
  endsAt: string;
  capacity: number;
  signedUp: number;
  waitlisted: number;
  cancelled: boolean;
  mine: { status: SignupStatus; waitlistPosition: number | null } | null;
}

/** 「已报名 7 人 · 还剩 3 个名额」, 「名额已满（共 10 个）· 候补 2 人」. */
export function placesText(a: Pick<ActivityLike, 'capacity' | 'signedUp' | 'waitlisted'>): string {
  const left = Math.max(0, a.capacity - a.signedUp);
  if (left > 0) return `已报名 ${a.signedUp} 人 · 还剩 ${left} 个名额（共 ${a.capacity} 个）`;
  return `名额已满（共 ${a.capacity} 个）${a.waitlisted > 0 ? ` · 候补 ${a.waitlisted} 人` : ''}`;
}

const live = (a: Pick<ActivityLike, 'mine'>): SignupStatus | null =>
  a.mine && a.mine.status !== 'cancelled' ? a.mine.status : null;

/** The resident's own standing: 「已报名」, 「候补第 2 位」, 「已签到」; null before signing up. */
export function myStatusText(a: Pick<ActivityLike, 'mine'>): string | null {
  const status = live(a);
  if (!status) return null;
  if (status === 'waitlisted')
    return a.mine?.waitlistPosition ? `候补第 ${a.mine.waitlistPosition} 位` : '候补中';
  return ACTIVITY_SIGNUP_STATUS_LABELS[status];
}

export const signupTone = (status: SignupStatus): string =>
  ({
    signed_up: 'approved',
    waitlisted: 'pending',
    checked_in: 'approved',
    checked_out: 'approved',
    cancelled: 'muted',
  })[status];

export interface ActivityActions {
  signUp: boolean;
  /** 报名 takes a place, or (when full) joins the waitlist. */
  signUpText: string;
  cancel: boolean;
  checkIn: boolean;
  /** Why nothing can be done (cancelled, over, started). */
  closed: string | null;
  /** What comes next for the resident's own sign-up. */
  hint: string | null;
}

export function activityActions(a: ActivityLike, now: Date = new Date()): ActivityActions {
  const none = { signUp: false, signUpText: '报名', cancel: false, checkIn: false, closed: null, hint: null };
  const status = live(a);
  if (a.cancelled) return { ...none, closed: '活动已取消' };
  if (status === 'checked_in' || status === 'checked_out') return { ...none, hint: '已签到，祝您活动愉快' };
  const window = checkinWindow({ startsAt: new Date(a.startsAt), endsAt: new Date(a.endsAt) }, now);
  if (window === 'closed') return { ...none, closed: '活动已结束' };
  const started = now.getTime() >= Date.parse(a.startsAt);
  const full = a.signedUp >= a.capacity;
  if (status === null)
    return started
      ? { ...none, closed: '活动已开始，报名已截止' }
      : { ...none, signUp: true, signUpText: full ? '报名候补' : '报名' };
  const checkIn = status === 'signed_up' && window === 'open';
  return {
    ...none,
    cancel: true,
    checkIn,
    hint:
      status === 'waitlisted'
        ? '有人取消报名时，候补按顺序递补，递补成功会通知您'
        : checkIn
          ? '到现场后，输入工作人员公布的 6 位签到码'
          : `活动开始前 ${COMMUNITY_CHECKIN_OPENS_BEFORE_MIN} 分钟起可以签到，签到码在活动现场公布`,
  };
}

/** The code at the place: 6 digits (full-width digits and spaces forgiven). */
export function parseCheckinCode(input: string): { ok: true; value: string } | { ok: false; error: string } {
  const text = input
    .replace(/\s+/g, '')
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (!/^\d{6}$/.test(text)) return { ok: false, error: '请输入现场公布的 6 位签到码' };
  return { ok: true, value: text };
}

/** The confirm before 取消报名: a place goes to the first on the waitlist. */
export function cancelConfirmText(a: Pick<ActivityLike, 'mine' | 'waitlisted'> & { title: string }): string {
  if (live(a) === 'waitlisted') return `确定不再候补「${a.title}」吗？`;
  return a.waitlisted > 0
    ? `确定取消「${a.title}」的报名吗？名额会让给候补第 1 位的邻居。`
    : `确定取消「${a.title}」的报名吗？`;
}

/**
 * The confirm before 退出小组, asked the way 取消报名 is: what leaving changes. Sign-ups stay (they
 * are the activity's, not the group's); an archived group cannot be joined again.
 */
export function leaveGroupConfirmText(g: { name: string; archived: boolean }): string {
  const after = g.archived ? '这个小组已停止活动，退出后不能再加入。' : '之后可以随时再加入。';
  return `确定退出「${g.name}」吗？已报名的活动不受影响，${after}`;
}
