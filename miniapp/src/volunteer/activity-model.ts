import { ACTIVITY_SIGNUP_STATUS_LABELS } from 'shared';
import { ApiError } from '../api/errors';
import { minutesText } from './labels';
import { triesLeft } from './task-model';

type SignupStatus = keyof typeof ACTIVITY_SIGNUP_STATUS_LABELS;

export interface ActivityLike {
  startsAt: string;
  endsAt: string;
  capacity: number;
  creditMin: number;
  signedUp: number;
  waitlisted: number;
  cancelled: boolean;
  mine: { status: SignupStatus; waitlistPosition: number | null } | null;
}

/** 「剩余 3 个名额」, 「名额已满 · 候补 2 人」. */
export function placesText(a: Pick<ActivityLike, 'capacity' | 'signedUp' | 'waitlisted'>): string {
  const left = Math.max(0, a.capacity - a.signedUp);
  if (left > 0) return `剩余 ${left} 个名额（共 ${a.capacity} 个）`;
  return `名额已满${a.waitlisted > 0 ? ` · 候补 ${a.waitlisted} 人` : ''}`;
}

/** The volunteer's own standing; null before signing up (or after cancelling). */
export function myStatusText(a: Pick<ActivityLike, 'mine' | 'creditMin'>): string | null {
  const mine = a.mine;
  if (!mine || mine.status === 'cancelled') return null;
  if (mine.status === 'waitlisted')
    return mine.waitlistPosition ? `候补第 ${mine.waitlistPosition} 位` : '候补中';
  if (mine.status === 'checked_out')
    return a.creditMin > 0 ? `已签退，已计入 ${minutesText(a.creditMin)}` : '已签退';
  return ACTIVITY_SIGNUP_STATUS_LABELS[mine.status];
}

export interface ActivityActions {
  signUp: boolean;
  /** 报名 fills a place, or (when full) joins the waitlist. */
  signUpText: string;
  cancel: boolean;
  checkIn: boolean;
  checkOut: boolean;
  /** Why nothing can be done (cancelled, over). */
  closed: string | null;
  /** What comes next for the volunteer's own sign-up (when 签到 / 签退 opens). */
  hint: string | null;
}

/** The BFF opens check-in this long before the start (CHECKIN_OPENS_BEFORE_MIN in activities.ts). */
export const CHECKIN_OPENS_BEFORE_MIN = 30;

/**
 * The buttons an activity card shows. 签到 opens half an hour before the start (the code is shown
 * at the place), 签退 once it has started; the BFF decides in the end.
 */
export function activityActions(a: ActivityLike, now: Date = new Date()): ActivityActions {
  const none = {
    signUp: false,
    signUpText: '报名',
    cancel: false,
    checkIn: false,
    checkOut: false,
    hint: null,
  };
  const status = a.mine && a.mine.status !== 'cancelled' ? a.mine.status : null;
  if (a.cancelled) return { ...none, closed: '活动已取消' };
  const t = now.getTime();
  const ended = t >= Date.parse(a.endsAt);
  const started = t >= Date.parse(a.startsAt);
  if (status === 'checked_in')
    return started
      ? { ...none, checkOut: true, closed: null, hint: '活动结束后请签退，时长会计入时间银行' }
      : { ...none, closed: null, hint: '已签到，活动开始后可以签退' };
  if (status === 'checked_out') return { ...none, closed: null };
  if (ended) return { ...none, closed: '活动已结束' };
  const full = a.signedUp >= a.capacity;
  const checkIn = status === 'signed_up' && t >= Date.parse(a.startsAt) - CHECKIN_OPENS_BEFORE_MIN * 60_000;
  return {
    signUp: status === null && !started,
    signUpText: full ? '报名候补' : '报名',
    cancel: status === 'signed_up' || status === 'waitlisted',
    checkIn,
    checkOut: false,
    closed: status === null && started ? '活动已开始，不能再报名' : null,
    hint:
      status === 'signed_up' && !checkIn
        ? `活动开始前 ${CHECKIN_OPENS_BEFORE_MIN} 分钟起可以签到，签到码在活动现场公布`
        : status === 'waitlisted'
          ? '有人取消报名时，候补的志愿者按顺序递补'
          : null,
  };
}

/** The code at the place: 4 to 6 digits. */
export function parseActivityCode(input: string): { ok: true; value: string } | { ok: false; error: string } {
  const text = input
    .replace(/\s+/g, '')
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (!/^\d{4,6}$/.test(text)) return { ok: false, error: '请输入活动现场公布的签到码（4 到 6 位数字）' };
  return { ok: true, value: text };
}

export const signupTone = (status: SignupStatus): string =>
  ({
    signed_up: 'approved',
    waitlisted: 'pending',
    checked_in: 'active',
    checked_out: 'done',
    cancelled: 'muted',
  })[status];

/** The sentence under the code field after a wrong code at the place. */
export function activityCodeErrorText(err: unknown): string | null {
  if (!(err instanceof ApiError)) return null;
  if (err.code === 'CODE_ENTRY_LOCKED') return '签到码输错次数过多，请找活动组织者帮您签到';
  if (err.code !== 'ACTIVITY_CODE_INVALID') return null;
  const left = triesLeft(err, 'ACTIVITY_CODE_INVALID');
  if (left === null) return '签到码不对，请看现场公布的签到码';
  if (left <= 0) return '签到码不对，已没有重试机会，请找活动组织者帮您签到';
  return `签到码不对，还可以再试 ${left} 次`;
}
