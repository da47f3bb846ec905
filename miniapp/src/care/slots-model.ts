import { addDays, DISPLAY_TZ, formatDisplayTime, localClock } from 'shared';

/** One open start time as the BFF lists it (SlotList.items). */
export interface SlotLike {
  startsAt: string;
  endsAt: string;
}

export interface DayChip {
  /** Local date, YYYY-MM-DD (Asia/Shanghai). */
  date: string;
  label: string;
}

const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'] as const;

/** 周一..周日 of a local calendar date (the date itself has no zone: read it as a plain day). */
export function weekdayOf(date: string): string {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  return WEEKDAYS[(day + 6) % 7]!;
}

/** 6月5日 of a local date. */
export function monthDay(date: string): string {
  const [, m, d] = date.split('-').map(Number);
  return `${m}月${d}日`;
}

/** 今天 / 明天 / 后天, else 6月5日; always with the weekday, which elders plan by. */
export function dayLabel(date: string, today: string): string {
  const near = ['今天', '明天', '后天'][[0, 1, 2].find((n) => addDays(today, n) === date) ?? -1];
  return `${near ?? monthDay(date)} ${weekdayOf(date)}`;
}

/** The next `count` local days from today, as chips for the slot picker. */
export function nextDays(today: string, count = 14): DayChip[] {
  return Array.from({ length: count }, (_, n) => {
    const date = addDays(today, n);
    return { date, label: dayLabel(date, today) };
  });
}

/** The local date of an instant. */
export const localDateOf = (iso: string, tz: string = DISPLAY_TZ) => localClock(new Date(iso), tz).date;

/** 09:00–10:00 in local time. */
export function slotTimeText(slot: SlotLike, tz: string = DISPLAY_TZ): string {
  return `${formatDisplayTime(slot.startsAt, tz).slice(11)}–${formatDisplayTime(slot.endsAt, tz).slice(11)}`;
}

/**
 * Open slots grouped by their local start day, each day's in start order; every asked-for day is
 * there (empty when nothing is free), so the picker can say 当天已约满 instead of hiding the day.
 */
export function groupSlotsByDay<S extends SlotLike>(
  slots: readonly S[],
  days: readonly string[],
  tz: string = DISPLAY_TZ,
): Map<string, S[]> {
  const out = new Map<string, S[]>(days.map((d) => [d, []]));
  for (const slot of [...slots].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))) {
    const day = localDateOf(slot.startsAt, tz);
    const list = out.get(day);
    if (list) list.push(slot);
    else out.set(day, [slot]);
  }
  return out;
}

/** 6月5日 周四 09:00–10:00 (今天/明天 when near): how a visit's time reads everywhere in care. */
export function visitTimeText(slot: SlotLike, today: string, tz: string = DISPLAY_TZ): string {
  return `${dayLabel(localDateOf(slot.startsAt, tz), today)} ${slotTimeText(slot, tz)}`;
}
