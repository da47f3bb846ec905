import { formatDisplayTime } from 'shared';

/** Words the community pages share. Times arrive as UTC instants and are read in Asia/Shanghai. */

/** 「12月3日 09:00」, with the year only when it is not this year's. */
export function shortTime(iso: string, now: Date = new Date()): string {
  const text = formatDisplayTime(iso);
  const year = text.slice(0, 4) === formatDisplayTime(now).slice(0, 4) ? '' : `${text.slice(0, 4)}年`;
  return `${year}${Number(text.slice(5, 7))}月${Number(text.slice(8, 10))}日 ${text.slice(11)}`;
}
