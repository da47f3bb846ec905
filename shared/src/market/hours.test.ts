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

describe('localClock remembers the last minute it was asked', () => {
  // An answer worked out another way (Swedish dates read as ISO), so the check is not the same
  // code asked twice.
  const fresh = (at: Date, tz: string) => {
    const [date, time] = at.toLocaleString('sv-SE', { timeZone: tz }).split(' ') as [string, string];
    const [h, m] = time.split(':').map(Number) as [number, number];
    const day = at.toLocaleDateString('en-US', { timeZone: tz, weekday: 'short' });
    return {
      date,
      weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(day) + 1,
      minute: (h % 24) * 60 + m,
    };
  };

  it('answers what the formatter says, across minute, midnight and DST edges and odd offsets', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'UTC'];
    // Seconds on either side of minute edges, local midnights and New York's spring-forward hour.
    const starts = [
      Date.UTC(2026, 11, 2, 15, 59, 58), // 23:59:58 in Shanghai
      Date.UTC(2026, 2, 8, 6, 59, 58), // 01:59:58 EST, a moment before DST begins
      Date.UTC(2026, 5, 30, 18, 14, 58), // 23:59:58 in Kathmandu (+05:45)
      Date.UTC(1969, 11, 31, 23, 59, 58), // before 1970, where offsets had seconds in some zones
    ];
    for (const tz of zones)
      for (const start of starts)
        for (let s = 0; s <= 5; s++) {
          const at = new Date(start + s * 1000);
          // Asked twice in a row (the second answer comes from memory) and once after another zone.
          expect(localClock(at, tz), `${tz} ${at.toISOString()}`).toEqual(fresh(at, tz));
          expect(localClock(at, tz)).toEqual(fresh(at, tz));
          localClock(at, 'Pacific/Chatham');
          expect(localClock(at, tz)).toEqual(fresh(at, tz));
        }
  });

  it('hands out a copy: changing an answer does not change the next one', () => {
    const at = new Date(Date.UTC(2026, 11, 3, 4, 0, 0));
    const first = localClock(at, 'Asia/Shanghai');
    first.minute = -1;
    expect(localClock(at, 'Asia/Shanghai').minute).toBe(12 * 60);
  });
});
