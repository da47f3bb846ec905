import { describe, expect, it } from 'vitest';
import type { BusinessHours } from '../contracts/market';
import { isOpenAt, localClock } from './hours';

// 2026-11-23 is a Monday; Shanghai is UTC+8 with no DST.
const at = (local: string) => new Date(`${local}+08:00`);

describe('business hours', () => {
  const weekdays: BusinessHours = {
    weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '18:00' })),
    closedDates: ['2026-11-25'],
  };

  it('reads the local clock in Asia/Shanghai', () => {
    expect(localClock(new Date('2026-11-22T16:30:00Z'))).toEqual({
      date: '2026-11-23',
      weekday: 1,
      minute: 30,
    });
  });

  it('is open inside a period and closed at its end', () => {
    expect(isOpenAt(weekdays, at('2026-11-23T09:00:00'))).toBe(true);
    expect(isOpenAt(weekdays, at('2026-11-23T17:59:00'))).toBe(true);
    expect(isOpenAt(weekdays, at('2026-11-23T18:00:00'))).toBe(false);
    expect(isOpenAt(weekdays, at('2026-11-23T08:59:00'))).toBe(false);
  });

  it('is closed on days without a period and on closed dates', () => {
    expect(isOpenAt(weekdays, at('2026-11-22T12:00:00'))).toBe(false); // Sunday
    expect(isOpenAt(weekdays, at('2026-11-25T12:00:00'))).toBe(false); // closed date
  });

  it('carries an overnight period into the next morning, unless that day is closed', () => {
    const late: BusinessHours = { weekly: [{ day: 7, open: '20:00', close: '02:00' }], closedDates: [] };
    expect(isOpenAt(late, at('2026-11-22T23:00:00'))).toBe(true);
    expect(isOpenAt(late, at('2026-11-23T01:30:00'))).toBe(true);
    expect(isOpenAt(late, at('2026-11-23T02:00:00'))).toBe(false);
    expect(isOpenAt({ ...late, closedDates: ['2026-11-23'] }, at('2026-11-23T01:30:00'))).toBe(false);
  });

  it('treats 00:00-24:00 as all day', () => {
    const allDay: BusinessHours = {
      weekly: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '00:00', close: '24:00' })),
      closedDates: [],
    };
    expect(isOpenAt(allDay, at('2026-11-23T00:00:00'))).toBe(true);
    expect(isOpenAt(allDay, at('2026-11-23T23:59:00'))).toBe(true);
  });
});
