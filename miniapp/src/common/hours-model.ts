import type { BusinessHours } from 'shared';

/**
 * The weekly-hours editor works on a week of seven days, each with its periods (none = 休息); the
 * API takes a flat list of periods on ISO weekdays (1 = Monday … 7 = Sunday). A period whose close
 * is not after its open runs past midnight (see shared/market/hours.ts).
 */
export interface Period {
  open: string;
  close: string;
}
export interface DayHours {
  day: number;
  periods: Period[];
}
export type Week = DayHours[];

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export const WEEKDAY_LABELS: Record<number, string> = {
  1: '周一',
  2: '周二',
  3: '周三',
  4: '周四',
  5: '周五',
  6: '周六',
  7: '周日',
};

export const DEFAULT_PERIOD: Period = { open: '08:00', close: '20:00' };
/** A new shop: every day 08:00-20:00, no closed dates. */
export const DEFAULT_HOURS: BusinessHours = {
  weekly: WEEKDAYS.map((day) => ({ day, ...DEFAULT_PERIOD })),
  closedDates: [],
};
/** The API allows at most this many periods in a week. */
export const MAX_PERIODS = 28;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const byOpen = (a: Period, b: Period) => minutes(a.open) - minutes(b.open);

export function toWeek(weekly: BusinessHours['weekly']): Week {
  return WEEKDAYS.map((day) => ({
    day,
    periods: weekly
      .filter((p) => p.day === day)
      .map((p) => ({ open: p.open, close: p.close }))
      .sort(byOpen),
  }));
}

export function fromWeek(week: Week): BusinessHours['weekly'] {
  return week.flatMap((d) => [...d.periods].sort(byOpen).map((p) => ({ day: d.day, ...p })));
}

function mapDay(week: Week, day: number, change: (periods: Period[]) => Period[]): Week {
  return week.map((d) => (d.day === day ? { ...d, periods: change(d.periods) } : d));
}

/** 休息 drops the day's periods; opening a closed day starts from 08:00-20:00. */
export function setDayClosed(week: Week, day: number, closed: boolean): Week {
  return mapDay(week, day, (periods) => (closed ? [] : periods.length ? periods : [{ ...DEFAULT_PERIOD }]));
}

export function addPeriod(week: Week, day: number): Week {
  return mapDay(week, day, (periods) => {
    const last = periods[periods.length - 1];
    // A second period usually follows a lunch break: start it where the last one closed.
    const next = last
      ? { open: last.close, close: last.close < '22:00' ? '22:00' : '24:00' }
      : DEFAULT_PERIOD;
    return [...periods, { ...next }];
  });
}

export function removePeriod(week: Week, day: number, index: number): Week {
  return mapDay(week, day, (periods) => periods.filter((_, i) => i !== index));
}

export function setPeriodTime(
  week: Week,
  day: number,
  index: number,
  edge: 'open' | 'close',
  value: string,
): Week {
  return mapDay(week, day, (periods) => periods.map((p, i) => (i === index ? { ...p, [edge]: value } : p)));
}

/** 应用到每天: every day gets a copy of this day's periods. */
export function copyToAllDays(week: Week, fromDay: number): Week {
  const source = week.find((d) => d.day === fromDay)?.periods ?? [];
  return week.map((d) => ({ ...d, periods: source.map((p) => ({ ...p })) }));
}

/** Past midnight: 22:00-02:00 closes the next day. */
export const isOvernight = (p: Period) => minutes(p.close) <= minutes(p.open);

/** Problems per weekday, in Chinese; an empty object when the week can be saved. */
export function validateWeek(week: Week): Record<number, string> {
  const problems: Record<number, string> = {};
  const total = week.reduce((n, d) => n + d.periods.length, 0);
  for (const d of week) {
    const periods = [...d.periods].sort(byOpen);
    if (periods.some((p) => !HHMM.test(p.open) || !HHMM.test(p.close))) {
      problems[d.day] = '时间格式应为 时:分，如 08:30';
    } else if (periods.some((p) => p.open === p.close)) {
      problems[d.day] = '开门和打烊时间不能相同';
    } else if (periods.some((p) => p.open === '24:00')) {
      problems[d.day] = '开门时间不能是 24:00';
    } else if (periods.some((p, i) => i > 0 && minutes(p.open) < minutes(periods[i - 1]!.close))) {
      problems[d.day] = '时段有重叠';
    } else if (periods.some((p, i) => i < periods.length - 1 && isOvernight(p))) {
      problems[d.day] = '跨夜营业的时段只能是当天最后一段';
    }
  }
  if (total > MAX_PERIODS) problems[0] = `一周最多 ${MAX_PERIODS} 个营业时段`;
  return problems;
}

export function formatPeriod(p: Period): string {
  return isOvernight(p) ? `${p.open}-次日${p.close}` : `${p.open}-${p.close}`;
}

function formatDay(d: DayHours): string {
  return d.periods.length ? [...d.periods].sort(byOpen).map(formatPeriod).join('、') : '休息';
}

/**
 * One line for people: consecutive days with the same hours share a range.
 * 周一至周五 08:00-20:00；周六、周日 09:00-18:00
 */
export function summarizeWeek(weekly: BusinessHours['weekly']): string {
  const week = toWeek(weekly);
  if (week.every((d) => d.periods.length === 0)) return '暂未设置营业时间';
  const groups: { from: number; to: number; text: string }[] = [];
  for (const d of week) {
    const text = formatDay(d);
    const last = groups[groups.length - 1];
    if (last && last.text === text && last.to === d.day - 1) last.to = d.day;
    else groups.push({ from: d.day, to: d.day, text });
  }
  if (groups.length === 1) return `每天 ${groups[0]!.text}`;
  return groups
    .map((g) => {
      const days =
        g.from === g.to
          ? WEEKDAY_LABELS[g.from]
          : g.to === g.from + 1
            ? `${WEEKDAY_LABELS[g.from]}、${WEEKDAY_LABELS[g.to]}`
            : `${WEEKDAY_LABELS[g.from]}至${WEEKDAY_LABELS[g.to]}`;
      return `${days} ${g.text}`;
    })
    .join('；');
}

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written YYYY-MM-DD (2025-02-30 is not one). */
export function isLocalDate(value: string): boolean {
  if (!LOCAL_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Adds a closed date, keeping the list sorted and without repeats. */
export function addClosedDate(dates: string[], date: string): string[] {
  return [...new Set([...dates, date])].sort();
}

export function removeClosedDate(dates: string[], date: string): string[] {
  return dates.filter((d) => d !== date);
}

/** The local date `days` after `date` (both YYYY-MM-DD); calendar arithmetic, no time zone. */
export function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
