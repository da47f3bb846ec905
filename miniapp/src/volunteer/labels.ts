import { addDays, type HelpTaskStatus, VOLUNTEER_SKILL_LABELS, type VolunteerSkillCode } from 'shared';
import { distanceText, localDate, localTime, localToday } from '../common/care-console';

/** Words and small sums the volunteer pages share. Times are read in Asia/Shanghai. */

/** An unknown skill (a BFF newer than the app) still reads as Chinese. */
export const skillLabel = (skill: string): string =>
  VOLUNTEER_SKILL_LABELS[skill as VolunteerSkillCode] ?? '志愿服务';

/** 45分钟, 2小时, 2小时30分; a negative amount keeps its sign in front. */
export function minutesText(min: number): string {
  const sign = min < 0 ? '-' : '';
  const abs = Math.abs(Math.round(min));
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  if (h === 0) return `${sign}${m}分钟`;
  return m === 0 ? `${sign}${h}小时` : `${sign}${h}小时${m}分`;
}

/** 「12月3日」, with the year when it is not this year's. */
function monthDay(date: string, today: string): string {
  const md = `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
  return date.slice(0, 4) === today.slice(0, 4) ? md : `${date.slice(0, 4)}年${md}`;
}

/** 「今天 12月3日」, 「明天 12月4日」, 「12月9日」. */
export function dayText(iso: string, now: Date = new Date()): string {
  const today = localToday(now);
  const date = localDate(iso);
  const near =
    date === today
      ? '今天 '
      : date === addDays(today, 1)
        ? '明天 '
        : date === addDays(today, -1)
          ? '昨天 '
          : '';
  return `${near}${monthDay(date, today)}`;
}

/** A local instant as 「12月3日 14:00」 (今天/明天 in front when it is one of those). */
export const whenText = (iso: string, now: Date = new Date()): string =>
  `${dayText(iso, now)} ${localTime(iso)}`;

/**
 * A time window: 「12月3日 14:00–17:00」 in one day, 「12月3日 22:00–12月4日 01:00」 over midnight.
 * A window ending at local midnight stays on its day (17:00–24:00).
 */
export function windowText(startIso: string, endIso: string, now: Date = new Date()): string {
  const start = whenText(startIso, now);
  if (localDate(startIso) === localDate(endIso)) return `${start}–${localTime(endIso)}`;
  const lastMinute = new Date(Date.parse(endIso) - 60_000).toISOString();
  if (localTime(endIso) === '00:00' && localDate(lastMinute) === localDate(startIso)) return `${start}–24:00`;
  return `${start}–${whenText(endIso, now)}`;
}

/** 「约 350 米」, 「约 1.2 公里」; null when the BFF does not know the distance. */
export const distanceLabel = (metres: number | null): string | null =>
  metres === null ? null : `约 ${distanceText(metres)}`;

/** The status as the volunteer reads it: what they can still do about the task. */
export function taskStatusText(status: HelpTaskStatus, takenByOther: boolean): string {
  if (takenByOther && (status === 'accepted' || status === 'in_progress' || status === 'done'))
    return '已被接单';
  const text: Record<HelpTaskStatus, string> = {
    open: '待接单',
    offered: '待接单',
    escalated: '待接单',
    accepted: '已接单',
    in_progress: '服务中',
    done: '已完成',
    expired: '已过期',
    cancelled: '已取消',
  };
  return text[status];
}

/** The tag's tone (app.scss / volunteer.scss classes). */
export function taskStatusTone(status: HelpTaskStatus, takenByOther: boolean): string {
  if (takenByOther) return 'muted';
  const tone: Record<HelpTaskStatus, string> = {
    open: 'pending',
    offered: 'pending',
    escalated: 'pending',
    accepted: 'approved',
    in_progress: 'active',
    done: 'done',
    expired: 'muted',
    cancelled: 'muted',
  };
  return tone[status];
}

export const URGENCY_TEXT: Record<'low' | 'normal' | 'urgent', string> = {
  low: '不急',
  normal: '普通',
  urgent: '紧急',
};

/** Stars as text for a level 0..5: ★★☆☆☆. */
export const starsText = (star: number): string => {
  const n = Math.max(0, Math.min(5, Math.round(star)));
  return `${'★'.repeat(n)}${'☆'.repeat(5 - n)}`;
};
