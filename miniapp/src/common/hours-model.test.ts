import { describe, expect, it } from 'vitest';
import {
  addClosedDate,
  addPeriod,
  copyToAllDays,
  DEFAULT_HOURS,
  formatPeriod,
  fromWeek,
  isLocalDate,
  removeClosedDate,
  removePeriod,
  setDayClosed,
  setPeriodTime,
  shiftDate,
  summarizeWeek,
  toWeek,
  validateWeek,
} from './hours-model';

const p = (day: number, open: string, close: string) => ({ day, open, close });

describe('week model <-> API periods', () => {
  it('groups periods by weekday, sorted, and flattens back', () => {
    const weekly = [p(3, '14:00', '20:00'), p(1, '08:00', '20:00'), p(3, '08:00', '12:00')];
    const week = toWeek(weekly);
    expect(week).toHaveLength(7);
    expect(week[0]).toEqual({ day: 1, periods: [{ open: '08:00', close: '20:00' }] });
    expect(week[1]).toEqual({ day: 2, periods: [] });
    expect(week[2]!.periods.map((x) => x.open)).toEqual(['08:00', '14:00']);
    expect(fromWeek(week)).toEqual([p(1, '08:00', '20:00'), p(3, '08:00', '12:00'), p(3, '14:00', '20:00')]);
  });

  it('the default is every day 08:00-20:00', () => {
    expect(toWeek(DEFAULT_HOURS.weekly).every((d) => d.periods.length === 1)).toBe(true);
    expect(summarizeWeek(DEFAULT_HOURS.weekly)).toBe('每天 08:00-20:00');
  });
});

describe('editing a week', () => {
  const week = toWeek(DEFAULT_HOURS.weekly);

  it('休息 clears a day; opening it again starts from 08:00-20:00', () => {
    const closed = setDayClosed(week, 7, true);
    expect(closed[6]!.periods).toEqual([]);
    expect(week[6]!.periods).toHaveLength(1); // not mutated
    expect(setDayClosed(closed, 7, false)[6]!.periods).toEqual([{ open: '08:00', close: '20:00' }]);
    expect(setDayClosed(week, 1, false)[0]).toEqual(week[0]); // an open day keeps its hours
  });

  it('adds a period after the last one, edits and removes by index', () => {
    const lunch = setPeriodTime(week, 2, 0, 'close', '12:00');
    const two = addPeriod(lunch, 2);
    expect(two[1]!.periods).toEqual([
      { open: '08:00', close: '12:00' },
      { open: '12:00', close: '22:00' },
    ]);
    const edited = setPeriodTime(two, 2, 1, 'open', '14:00');
    expect(edited[1]!.periods[1]).toEqual({ open: '14:00', close: '22:00' });
    expect(validateWeek(edited)).toEqual({});
    expect(removePeriod(edited, 2, 0)[1]!.periods).toEqual([{ open: '14:00', close: '22:00' }]);
  });

  it('copies one day to all', () => {
    const monday = setPeriodTime(week, 1, 0, 'open', '06:30');
    const all = copyToAllDays(monday, 1);
    expect(all.every((d) => d.periods[0]!.open === '06:30')).toBe(true);
    all[3]!.periods[0]!.open = '09:00';
    expect(all[0]!.periods[0]!.open).toBe('06:30'); // copies, not shared objects
  });
});

describe('validateWeek', () => {
  const week = toWeek(DEFAULT_HOURS.weekly);

  it('accepts overnight as the last period of a day', () => {
    expect(validateWeek(setPeriodTime(week, 5, 0, 'close', '02:00'))).toEqual({});
    expect(formatPeriod({ open: '18:00', close: '02:00' })).toBe('18:00-次日02:00');
  });

  it('flags equal times, overlaps, a bad format and too many periods', () => {
    expect(validateWeek(setPeriodTime(week, 1, 0, 'close', '08:00'))[1]).toBe('开门和打烊时间不能相同');
    const overlap = setPeriodTime(addPeriod(week, 2), 2, 1, 'open', '19:00');
    expect(validateWeek(overlap)[2]).toBe('时段有重叠');
    expect(validateWeek(setPeriodTime(week, 3, 0, 'open', '8:00'))[3]).toMatch(/时间格式/);
    const overnightFirst = addPeriod(setPeriodTime(week, 4, 0, 'close', '02:00'), 4);
    expect(validateWeek(setPeriodTime(overnightFirst, 4, 1, 'open', '03:00'))[4]).toBeDefined();
    let busy = week;
    for (let i = 0; i < 4; i++) for (let d = 1; d <= 7; d++) busy = addPeriod(busy, d);
    expect(validateWeek(busy)[0]).toMatch(/最多 28/);
  });
});

describe('summarizeWeek', () => {
  it('joins consecutive days with the same hours', () => {
    const weekly = [
      ...[1, 2, 3, 4, 5].map((d) => p(d, '08:00', '20:00')),
      p(6, '09:00', '18:00'),
      p(7, '09:00', '18:00'),
    ];
    expect(summarizeWeek(weekly)).toBe('周一至周五 08:00-20:00；周六、周日 09:00-18:00');
  });

  it('names closed days and split days', () => {
    const weekly = [p(1, '08:00', '12:00'), p(1, '14:00', '20:00'), p(2, '22:00', '03:00')];
    expect(summarizeWeek(weekly)).toBe(
      '周一 08:00-12:00、14:00-20:00；周二 22:00-次日03:00；周三至周日 休息',
    );
    expect(summarizeWeek([])).toBe('暂未设置营业时间');
  });
});

describe('closed dates', () => {
  it('adds sorted without repeats and removes', () => {
    let dates = addClosedDate([], '2025-10-03');
    dates = addClosedDate(dates, '2025-10-01');
    dates = addClosedDate(dates, '2025-10-03');
    expect(dates).toEqual(['2025-10-01', '2025-10-03']);
    expect(removeClosedDate(dates, '2025-10-01')).toEqual(['2025-10-03']);
  });

  it('knows real calendar dates', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2025-02-29')).toBe(false);
    expect(isLocalDate('2025-13-01')).toBe(false);
    expect(isLocalDate('2025-1-01')).toBe(false);
  });

  it('shifts local dates across months, years and leap days', () => {
    expect(shiftDate('2025-03-01', -1)).toBe('2025-02-28');
    expect(shiftDate('2024-03-01', -1)).toBe('2024-02-29');
    expect(shiftDate('2025-12-31', 1)).toBe('2026-01-01');
    expect(shiftDate('2025-10-26', 13)).toBe('2025-11-08');
  });
});
