import { DISPLAY_TZ, zonedInstant } from 'shared';

/** The 发布社区活动 form, checked by field before the BFF sees it (which checks again). */

export interface ActivityForm {
  title: string;
  description: string;
  place: string;
  date: string;
  start: string;
  end: string;
  capacity: string;
  /** '' for none: a community-wide activity. */
  groupId: string;
}

export type ActivityErrors = Partial<Record<'title' | 'description' | 'place' | 'time' | 'capacity', string>>;

export interface ActivityDraft {
  title: string;
  description: string;
  place: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  groupId?: string;
}

export const ACTIVITY_MAX_CAPACITY = 5000;

export function activityDraft(
  f: ActivityForm,
  now: Date = new Date(),
): { ok: true; draft: ActivityDraft } | { ok: false; errors: ActivityErrors } {
  const errors: ActivityErrors = {};
  const title = f.title.trim();
  const place = f.place.trim();
  if (!title) errors.title = '请填写活动名称';
  else if ([...title].length > 40) errors.title = '活动名称请在 40 字以内';
  if (!place) errors.place = '请填写活动地点';
  else if ([...place].length > 60) errors.place = '地点请在 60 字以内';
  if ([...f.description.trim()].length > 1000) errors.description = '介绍请在 1000 字以内';
  const startsAt = zonedInstant(f.date, f.start, DISPLAY_TZ);
  const endsAt = zonedInstant(f.date, f.end, DISPLAY_TZ);
  if (endsAt <= startsAt) errors.time = '结束时间需晚于开始时间';
  else if (startsAt <= now) errors.time = '开始时间已经过去了';
  const capText = f.capacity.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const capacity = Number(capText);
  if (!/^\d{1,4}$/.test(capText) || capacity < 1 || capacity > ACTIVITY_MAX_CAPACITY)
    errors.capacity = `名额请填 1 到 ${ACTIVITY_MAX_CAPACITY} 的整数`;
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    draft: {
      title,
      description: f.description.trim(),
      place,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      capacity,
      ...(f.groupId ? { groupId: f.groupId } : {}),
    },
  };
}

/** The roster in the order staff call it: signed up (and checked in) first, then the waitlist by position. */
export function rosterOrder<T extends { status: string; waitlistPosition: number | null }>(
  rows: readonly T[],
): T[] {
  const rank = (r: T) =>
    r.status === 'checked_in' ? 0 : r.status === 'signed_up' ? 1 : r.status === 'waitlisted' ? 2 : 3;
  return [...rows].sort((a, b) => rank(a) - rank(b) || (a.waitlistPosition ?? 0) - (b.waitlistPosition ?? 0));
}
