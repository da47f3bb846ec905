import { describe, expect, it } from 'vitest';
import {
  isoWeekday,
  MEAL_CUTOFF_LOCAL,
  mealCutoffAt,
  mealKey,
  mealsOn,
  mealVoucherShare,
  normalizeSchedule,
  planMakes,
  upcomingMeals,
} from './meals';

// 2030-01-07 is a Monday.
const MON = '2030-01-07';
const TZ = 'Asia/Shanghai';

describe('meal cut-offs', () => {
  it('lunch at 09:00 and dinner at 14:00 local on the same day', () => {
    expect(MEAL_CUTOFF_LOCAL).toEqual({ lunch: '09:00', dinner: '14:00' });
    expect(mealCutoffAt(MON, 'lunch', TZ).toISOString()).toBe('2030-01-07T01:00:00.000Z');
    expect(mealCutoffAt(MON, 'dinner', TZ).toISOString()).toBe('2030-01-07T06:00:00.000Z');
    // A zone with another offset moves the instant, not the wall time.
    expect(mealCutoffAt('2030-07-01', 'lunch', 'Europe/Berlin').toISOString()).toBe(
      '2030-07-01T07:00:00.000Z',
    );
  });

  it('ISO weekdays', () => {
    expect(isoWeekday(MON)).toBe(1);
    expect(isoWeekday('2030-01-12')).toBe(6);
    expect(isoWeekday('2030-01-13')).toBe(7);
  });
});

describe('which meals a plan makes', () => {
  const weekdaysLunchDinner = { meals: ['lunch', 'dinner'] as const, weekdays: [1, 2, 3, 4, 5] };
  it('by weekday and meal', () => {
    expect(planMakes(weekdaysLunchDinner, MON, 'dinner')).toBe(true);
    expect(planMakes(weekdaysLunchDinner, '2030-01-12', 'lunch')).toBe(false);
    expect(planMakes({ meals: ['lunch'], weekdays: [1] }, MON, 'dinner')).toBe(false);
    expect(mealsOn(weekdaysLunchDinner, MON)).toEqual(['lunch', 'dinner']);
    expect(mealsOn({ meals: ['dinner', 'lunch'], weekdays: [1] }, MON)).toEqual(['lunch', 'dinner']);
    expect(mealsOn(weekdaysLunchDinner, '2030-01-13')).toEqual([]);
  });

  it('normalizes days and meals', () => {
    expect(normalizeSchedule({ meals: ['dinner', 'lunch', 'dinner'], weekdays: [5, 1, 5, 3] })).toEqual({
      meals: ['lunch', 'dinner'],
      weekdays: [1, 3, 5],
    });
  });
});

describe('upcoming meals', () => {
  const plan = { meals: ['lunch', 'dinner'] as const, weekdays: [1, 3, 6] };
  const none = new Set<string>();

  it('lists the next seven days, open until each cut-off', () => {
    const now = new Date('2030-01-07T00:30:00Z'); // Monday 08:30 local
    const list = upcomingMeals(plan, { today: MON, now, skipped: none, made: none, tz: TZ });
    expect(list.map((m) => mealKey(m.date, m.meal))).toEqual([
      '2030-01-07:lunch',
      '2030-01-07:dinner',
      '2030-01-09:lunch',
      '2030-01-09:dinner',
      '2030-01-12:lunch',
      '2030-01-12:dinner',
    ]);
    expect(list.every((m) => m.open && !m.skipped)).toBe(true);
    expect(list[0]!.cutoffAt.toISOString()).toBe('2030-01-07T01:00:00.000Z');
  });

  it('keeps a passed meal only when it was made, and marks skips', () => {
    const now = new Date('2030-01-07T02:00:00Z'); // Monday 10:00 local: lunch closed
    const skipped = new Set([mealKey('2030-01-09', 'dinner')]);
    const notMade = upcomingMeals(plan, { today: MON, now, skipped, made: none, tz: TZ });
    expect(notMade[0]).toMatchObject({ date: MON, meal: 'dinner', open: true });
    const made = upcomingMeals(plan, {
      today: MON,
      now,
      skipped,
      made: new Set([mealKey(MON, 'lunch')]),
      tz: TZ,
    });
    expect(made[0]).toMatchObject({ date: MON, meal: 'lunch', open: false, skipped: false });
    expect(made.find((m) => m.date === '2030-01-09' && m.meal === 'dinner')).toMatchObject({
      skipped: true,
      open: true,
    });
  });

  it('the seventh day is the last one', () => {
    const daily = { meals: ['lunch'] as const, weekdays: [1, 2, 3, 4, 5, 6, 7] };
    const now = new Date('2030-01-06T16:00:00Z'); // Monday 00:00 local
    const list = upcomingMeals(daily, { today: MON, now, skipped: none, made: none, tz: TZ });
    expect(list.map((m) => m.date)).toEqual([
      '2030-01-07',
      '2030-01-08',
      '2030-01-09',
      '2030-01-10',
      '2030-01-11',
      '2030-01-12',
      '2030-01-13',
    ]);
  });
});

describe('the voucher share of a meal', () => {
  it('the community cap of the price for an eligible elder, rounded down', () => {
    expect(mealVoucherShare(1200, { capPercent: 50, eligible: true })).toBe(600);
    expect(mealVoucherShare(1199, { capPercent: 50, eligible: true })).toBe(599);
    expect(mealVoucherShare(1200, { capPercent: 50, eligible: false })).toBe(0);
    expect(mealVoucherShare(1200, { capPercent: 0, eligible: true })).toBe(0);
    expect(mealVoucherShare(1200, { capPercent: 100, eligible: true })).toBe(1200);
  });
});
