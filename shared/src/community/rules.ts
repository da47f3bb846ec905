/**
 * Pure rules of the community office, shared by the BFF (which enforces them) and the
 * mini-program (which shows the state and only the buttons that will work).
 */

/** An urgent alert fits one SMS-sized screen: at most this many characters (code points). */
export const MAX_ALERT_CHARS = 110;
export const POLL_MIN_OPTIONS = 2;
export const POLL_MAX_OPTIONS = 10;

export type PollPhase = 'upcoming' | 'open' | 'closed';

export interface PollTimes {
  opensAt: Date | string;
  closesAt: Date | string;
  /** Staff closed it early. */
  closedAt: Date | string | null;
}

const ms = (d: Date | string) => (typeof d === 'string' ? Date.parse(d) : d.getTime());

/** Where a poll stands at `now`: the window is [opensAt, closesAt), and an early close ends it. */
export function pollPhase(p: PollTimes, now: Date): PollPhase {
  const t = now.getTime();
  if (p.closedAt !== null && ms(p.closedAt) <= t) return 'closed';
  if (t >= ms(p.closesAt)) return 'closed';
  if (t < ms(p.opensAt)) return 'upcoming';
  return 'open';
}

/**
 * Whether the results may be shown: staff always; everyone once the poll is closed; with
 * `after_vote`, a household that has voted.
 */
export function pollResultsVisible(
  visibility: 'after_vote' | 'after_close',
  phase: PollPhase,
  viewer: { staff: boolean; householdVoted: boolean },
): boolean {
  if (viewer.staff || phase === 'closed') return true;
  return visibility === 'after_vote' && viewer.householdVoted;
}

/** A choice of options is valid for the poll: in range, distinct, one for single choice. */
export function choiceError(
  choices: readonly number[],
  poll: { optionCount: number; multiple: boolean; maxChoices: number },
): string | null {
  if (choices.length === 0) return 'choose an option';
  if (new Set(choices).size !== choices.length) return 'each option once';
  if (choices.some((c) => c < 0 || c >= poll.optionCount)) return 'is not an option of this poll';
  if (!poll.multiple && choices.length !== 1) return 'choose exactly one option';
  if (choices.length > poll.maxChoices) return `choose at most ${poll.maxChoices} options`;
  return null;
}

/** 王小明 -> 王**, 李四 -> 李*: staff and neighbours see who without the full name. */
export function maskName(name: string | null | undefined): string {
  const chars = [...(name ?? '').trim()];
  if (chars.length === 0) return '住户';
  return `${chars[0]}${'*'.repeat(Math.max(1, Math.min(chars.length - 1, 2)))}`;
}

/** The first characters of a text, on one line, for a list row. */
export function excerptOf(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}

/** Reminders before a community activity starts: the day before and an hour before. */
export const ACTIVITY_REMINDERS = [
  { kind: '24h', beforeMs: 24 * 3_600_000 },
  { kind: '1h', beforeMs: 3_600_000 },
] as const;
export type ActivityReminderKind = (typeof ACTIVITY_REMINDERS)[number]['kind'];

/** Check-in opens this long before the start (people arrive early). */
export const COMMUNITY_CHECKIN_OPENS_BEFORE_MIN = 30;

export type CheckinWindow = 'not_open' | 'open' | 'closed';

/** Whether the check-in code may be entered now. */
export function checkinWindow(a: { startsAt: Date; endsAt: Date }, now: Date): CheckinWindow {
  if (now.getTime() < a.startsAt.getTime() - COMMUNITY_CHECKIN_OPENS_BEFORE_MIN * 60_000) return 'not_open';
  if (now >= a.endsAt) return 'closed';
  return 'open';
}

type SignupState = 'signed_up' | 'waitlisted' | 'checked_in' | 'checked_out' | 'cancelled';

/** Sign-ups holding a place (check-in and check-out keep it): counted against the capacity. */
export const ACTIVITY_PLACE_HOLDING = [
  'signed_up',
  'checked_in',
  'checked_out',
] as const satisfies SignupState[];

/** A roster's order: places (in sign-up order), then the waitlist, then those who left. */
export const ACTIVITY_ROSTER_RANK: Record<SignupState, number> = {
  checked_out: 0,
  checked_in: 0,
  signed_up: 0,
  waitlisted: 1,
  cancelled: 2,
};
