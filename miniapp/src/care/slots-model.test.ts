import { describe, expect, it } from 'vitest';
import { dayLabel, groupSlotsByDay, nextDays, slotTimeText, visitTimeText, weekdayOf } from './slots-model';

// 2026-06-01 is a Monday. Asia/Shanghai is UTC+8 all year.
const slot = (startsAt: string, endsAt: string) => ({ startsAt, endsAt, caregivers: 1 });

describe('slot picker view model', () => {
  it('labels the next 14 days from today, with 今天/明天/后天 and the weekday', () => {
    const days = nextDays('2026-06-01');
    expect(days).toHaveLength(14);
    expect(days.slice(0, 4).map((d) => d.label)).toEqual([
      '今天 周一',
      '明天 周二',
      '后天 周三',
      '6月4日 周四',
    ]);
    expect(days[13]).toEqual({ date: '2026-06-14', label: '6月14日 周日' });
    // Across a month end.
    expect(nextDays('2026-06-30', 3).map((d) => d.date)).toEqual(['2026-06-30', '2026-07-01', '2026-07-02']);
    expect(weekdayOf('2026-12-31')).toBe('周四');
    expect(dayLabel('2026-06-10', '2026-06-01')).toBe('6月10日 周三');
  });

  it('groups slots by their Shanghai day, not the UTC day, in start order', () => {
    const days = ['2026-06-01', '2026-06-02', '2026-06-03'];
    const grouped = groupSlotsByDay(
      [
        // 2026-06-02 09:00 local
        slot('2026-06-02T01:00:00Z', '2026-06-02T02:00:00Z'),
        // 2026-06-02 07:30 local, still 06-01 in UTC
        slot('2026-06-01T23:30:00Z', '2026-06-02T00:30:00Z'),
        // 2026-06-01 15:00 local
        slot('2026-06-01T07:00:00.000+00:00', '2026-06-01T08:00:00.000+00:00'),
      ],
      days,
    );
    expect([...grouped.keys()]).toEqual(days);
    expect(grouped.get('2026-06-01')!.map((s) => slotTimeText(s))).toEqual(['15:00–16:00']);
    expect(grouped.get('2026-06-02')!.map((s) => slotTimeText(s))).toEqual(['07:30–08:30', '09:00–10:00']);
    // A day with nothing free is still listed, empty.
    expect(grouped.get('2026-06-03')).toEqual([]);
  });

  it('writes a visit time with the local day and range', () => {
    expect(visitTimeText(slot('2026-06-02T01:00:00Z', '2026-06-02T02:30:00Z'), '2026-06-01')).toBe(
      '明天 周二 09:00–10:30',
    );
  });
});
